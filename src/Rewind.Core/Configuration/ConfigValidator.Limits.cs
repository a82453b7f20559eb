namespace Rewind.Core.Configuration;

/// <summary>Checks of <c>server.limits</c> and <c>server.probes</c>: every limit a positive whole number in a sane range.</summary>
internal static partial class ConfigValidator
{
    private const int MaxPerMinute = 1_000_000;

    private static void ValidateLimits(LimitsConfig limits, Action<object, string?, string> add)
    {
        void Between(int value, string key, int low, int high)
        {
            if (value < low || value > high)
            {
                add(limits, key, $"server.limits.{key}: {value} is outside {low}..{high}");
            }
        }

        Between(limits.RequestsPerMinute, "requests-per-minute", 1, MaxPerMinute);
        Between(limits.AnonymousRequestsPerMinute, "anonymous-requests-per-minute", 1, MaxPerMinute);
        Between(limits.LoginAttemptsPerMinute, "login-attempts-per-minute", 1, MaxPerMinute);
        Between(limits.MonitoringRequestsPerMinute, "monitoring-requests-per-minute", 1, MaxPerMinute);
        Between(limits.EventStreams, "event-streams", 1, 10_000);
        Between(limits.EventStreamsPerUser, "event-streams-per-user", 1, 10_000);
        Between(limits.RefusalSources, "refusal-sources", 1, 100_000);
        if (limits.EventStreamsPerUser > limits.EventStreams)
        {
            add(limits, "event-streams-per-user", $"server.limits.event-streams-per-user: {limits.EventStreamsPerUser} is more than event-streams ({limits.EventStreams})");
        }

        if (limits.RefusalWindow < TimeSpan.FromSeconds(1) || limits.RefusalWindow > TimeSpan.FromHours(1))
        {
            add(limits, "refusal-window", "server.limits.refusal-window: from 1s to 1h");
        }
    }

    private static void ValidateProbeSchedule(ProbeScheduleConfig probes, Action<object, string?, string> add)
    {
        if (probes.MaxConcurrent is < 1 or > 100_000)
        {
            add(probes, "max-concurrent", $"server.probes.max-concurrent: {probes.MaxConcurrent} is outside 1..100000");
        }

        if (probes.MaxLateness is { } lateness && (lateness < TimeSpan.FromMilliseconds(10) || lateness > TimeSpan.FromMinutes(1)))
        {
            add(probes, "max-lateness", $"server.probes.max-lateness: {Durations.Format(lateness)} is outside 10ms..1m");
        }
    }
}
