namespace Rewind.Core.Signals;

/// <summary>
/// The rules by which the controller tells its own overload, and failures shared by most components, from the failure
/// of one release. Defaults are chosen so that one pause (a garbage collection, a slow disk write) does not hold a
/// rollback, and a saturated host does.
/// </summary>
public sealed class MonitorHealthOptions
{
    /// <summary>How far back the controller's own timing is looked at. Default 10s.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A run is late when it starts more than this after its tick, or more than <see cref="LagShare"/> of its interval, whichever is larger. Default 250ms.</summary>
    public TimeSpan MinLag { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Share of the interval a run may start late. Default 0.25.</summary>
    public double LagShare { get; init; } = 0.25;

    /// <summary>Late runs in the window (also those that overran their timeout by the same margin) before the controller counts as overloaded. Default 3.</summary>
    public int MinLateRuns { get; init; } = 3;

    /// <summary>Share of the runs in the window that must be late as well, so that one pause that delays every loop once is not overload. Default 0.2.</summary>
    public double MinLateShare { get; init; } = 0.2;

    /// <summary>A store write slower than this is a sign of overload. Default 1s.</summary>
    public TimeSpan SlowStoreWrite { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Slow store writes in the window before the controller counts as overloaded. Default 2.</summary>
    public int MinSlowStoreWrites { get; init; } = 2;

    /// <summary>Correlated failure needs at least this many components failing with the same kind of error. Default 3.</summary>
    public int MinCorrelatedComponents { get; init; } = 3;

    /// <summary>…and at least this share of the components with probes. Default 0.5.</summary>
    public double CorrelatedShare { get; init; } = 0.5;

    /// <summary>Correlated failures fall within this many intervals of the failing probe. Default 2.</summary>
    public double CorrelationIntervals { get; init; } = 2;

    /// <summary>The correlation window is never shorter than this, whatever the interval. Default 1s.</summary>
    public TimeSpan MinCorrelationWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A component counts among "the components with probes" while it has had a run this recently. Default 10m.</summary>
    public TimeSpan ComponentMemory { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The lag beyond which a run of a probe with this interval is late.</summary>
    public TimeSpan LateAfter(TimeSpan interval) => TimeSpan.FromTicks(Math.Max(MinLag.Ticks, (long)(interval.Ticks * LagShare)));
}
