namespace Rewind.Bench.Scale;

/// <summary>What every size is run with, and the sizes of a full and a quick run.</summary>
internal sealed record ScaleSettings(IReadOnlyList<int> Sizes, TimeSpan Window, TimeSpan Settle, TimeSpan ProbeOnly)
{
    public const string Interval = "1s";
    public const string Timeout = "800ms";
    public const string FailingFor = "3s";

    /// <summary>The capacity criterion: p99 probe lateness below this, and no false failure.</summary>
    public const double LatenessLimitSeconds = 0.1;

    /// <summary>Past capacity is run at twice the capacity, at most this many components.</summary>
    public const int PastCapacityCap = 20_000;

    /// <summary>How long a controller may take to answer, and then to store one sample per component, before the run goes on without it.</summary>
    public static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(180);

    public static readonly TimeSpan FirstRoundLimit = TimeSpan.FromSeconds(90);

    /// <summary>The settings of a full or quick run; <c>--sizes 500,1000</c> among the arguments runs those sizes instead.</summary>
    public static ScaleSettings For(bool quick, IReadOnlyList<string> arguments)
    {
        var settings = For(quick);
        var at = arguments.ToList().IndexOf("--sizes");
        return at >= 0 && at + 1 < arguments.Count
            ? settings with { Sizes = [.. arguments[at + 1].Split(',').Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).Order()] }
            : settings;
    }

    private static ScaleSettings For(bool quick) => quick
        ? new ScaleSettings([500, 2_000, 5_000], TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3))
        : new ScaleSettings([500, 1_000, 2_000, 5_000, 10_000], TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

    public static string Component(int index) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"c{index:00000}");
}
