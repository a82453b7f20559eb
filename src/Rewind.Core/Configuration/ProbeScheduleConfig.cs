namespace Rewind.Core.Configuration;

/// <summary>
/// <c>server.probes</c>: how the controller runs its probes. Every probe runs at a fixed offset within its interval (a
/// hash of its component and name), so runs are spread over time and keep their offsets across restarts; at most
/// <see cref="MaxConcurrent"/> run at once. A run that cannot start within <see cref="MaxLateness"/> of its time is not
/// measured: skipped, counted and paged as the controller's own overload, never a failure of what it probes.
/// </summary>
public sealed class ProbeScheduleConfig
{
    /// <summary>Default of <see cref="MaxConcurrent"/>.</summary>
    public const int DefaultMaxConcurrent = 256;

    /// <summary>The longest <see cref="MaxLateness"/> is by default.</summary>
    public static readonly TimeSpan DefaultMaxLatenessCap = TimeSpan.FromSeconds(1);

    /// <summary>Probe runs in flight at once, all probes together (a run holds its place until its sample is recorded). Default 256.</summary>
    public int MaxConcurrent { get; set; } = DefaultMaxConcurrent;

    /// <summary>
    /// How late after its time a run may still start; a run later than this is not measured. Default null: half the
    /// probe's interval, at most 1s.
    /// </summary>
    public TimeSpan? MaxLateness { get; set; }

    /// <summary>The lateness allowed to a run of a probe with <paramref name="interval"/>.</summary>
    public TimeSpan MaxLatenessFor(TimeSpan interval) =>
        MaxLateness ?? TimeSpan.FromTicks(Math.Min(interval.Ticks / 2, DefaultMaxLatenessCap.Ticks));
}
