namespace Rewind.Core.Configuration;

/// <summary>Checks of <c>samples</c> (and of the deprecated <c>sample-retention</c>, still read): each window in its range, and each at least as long as the finer one before it.</summary>
internal static partial class ConfigValidator
{
    private static void ValidateSamples(RewindConfig config, Action<object, string?, string> add)
    {
        if (config.SampleRetention < 100)
        {
            add(config, "sample-retention", "sample-retention: keep at least 100 samples per probe");
        }

        var samples = config.Samples;
        void Between(TimeSpan value, string key, TimeSpan low, TimeSpan high, string range)
        {
            if (value < low || value > high)
            {
                add(samples, key, $"samples.{key}: {Durations.Format(value)} is outside {range}");
            }
        }

        Between(samples.FullResolution, "full-resolution", TimeSpan.FromMinutes(10), TimeSpan.FromDays(7), "10m..7d");
        Between(samples.PerMinute, "per-minute", TimeSpan.FromMinutes(10), TimeSpan.FromDays(400), "10m..400d");
        Between(samples.PerHour, "per-hour", TimeSpan.FromHours(1), TimeSpan.FromDays(3650), "1h..3650d");
        if (samples.PerMinute < samples.FullResolution)
        {
            add(samples, "per-minute", $"samples.per-minute: {Durations.Format(samples.PerMinute)} is shorter than full-resolution ({Durations.Format(samples.FullResolution)}): minutes are rolled from full-resolution samples");
        }

        if (samples.PerHour < samples.PerMinute)
        {
            add(samples, "per-hour", $"samples.per-hour: {Durations.Format(samples.PerHour)} is shorter than per-minute ({Durations.Format(samples.PerMinute)}): hours are rolled from minutes");
        }
    }
}
