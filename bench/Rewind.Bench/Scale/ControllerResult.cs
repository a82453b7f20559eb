namespace Rewind.Bench.Scale;

/// <summary>What one controller run at N components measured. Failures and incidents count the whole run, the rest the window.</summary>
internal sealed record ControllerResult(int Components, double WindowSeconds)
{
    /// <summary>Samples stored per second during the window.</summary>
    public double SamplesPerSecond { get; init; }

    /// <summary>The controller's CPU (user + system, children included) during the window, per sample stored.</summary>
    public double CpuMsPerSample { get; init; }

    public double ControllerCores { get; init; }

    public double TargetCores { get; init; }

    /// <summary>p99 of <c>rewind_probe_schedule_lag_seconds{loop="probe"}</c> over the window; +∞ above its last bound (10 s); null without observations.</summary>
    public double? P99LatenessSeconds { get; init; }

    /// <summary>
    /// Probe runs the controller counted as failed (its <c>rewind_probe_samples_total{result="fail"}</c>), from its start;
    /// when <c>/metrics</c> did not answer, the failed samples in the store (it keeps the newest few hundred per probe).
    /// </summary>
    public long FailedSamples { get; init; }

    /// <summary>Of those, the ones counted during the window; null when <c>/metrics</c> did not answer.</summary>
    public long? FailedSamplesInWindow { get; init; }

    /// <summary>The most frequent reasons of the failed samples in the store at the end, with their counts.</summary>
    public IReadOnlyList<string> FailureReasons { get; init; } = [];

    /// <summary>Incidents in the store at the end of the run.</summary>
    public long Incidents { get; init; }

    /// <summary>Policy decisions (<c>rewind_decisions_total</c>), from the start.</summary>
    public long Decisions { get; init; }

    /// <summary><c>rewind_probes_not_measured_total</c> at the end, when the controller exposes it.</summary>
    public long? NotMeasured { get; init; }

    /// <summary>Whether the controller said it was overloaded (<c>rewind_monitor_overloaded</c>) at the end of the window.</summary>
    public bool Overloaded { get; init; }

    /// <summary>Growth of the store's size in use over the window, per sample stored in it.</summary>
    public double StoreBytesPerSample { get; init; }

    /// <summary>Growth of the database file and its WAL on disk over the window, per sample stored in it.</summary>
    public double FileBytesPerSample { get; init; }

    /// <summary>The config parsed and validated in the benchmark's process (ConfigParser), seconds.</summary>
    public double ConfigParseSeconds { get; init; }

    public long ConfigBytes { get; init; }

    /// <summary>From the process start to every component registered in the store.</summary>
    public double? RegisteredSeconds { get; init; }

    /// <summary>From the process start to the API's port accepting connections.</summary>
    public double? StartSeconds { get; init; }

    /// <summary>From the process start to one sample stored per component.</summary>
    public double? FirstRoundSeconds { get; init; }

    /// <summary>One <c>GET /metrics</c> at the end of the window: seconds (NaN when it did not answer within 30 s) and bytes.</summary>
    public double MetricsScrapeSeconds { get; init; }

    public long MetricsBytes { get; init; }

    public double PeakRssMb { get; init; }

    /// <summary>The benchmark's own health checks of the target during the run (every 250 ms): failed, and the slowest.</summary>
    public int TargetWatchFailed { get; init; }

    public double TargetWatchSlowestMs { get; init; }

    /// <summary>Why the run measured nothing (the controller did not start, or exited); null when it did.</summary>
    public string? Error { get; init; }

    public long FalseFailures => FailedSamples + Incidents;

    public bool TargetHealthy => TargetWatchFailed == 0;

    /// <summary>Within capacity: p99 lateness below the limit and no false failure.</summary>
    public bool WithinCapacity => P99LatenessSeconds is { } p99 && p99 < ScaleSettings.LatenessLimitSeconds && FalseFailures == 0 && FirstRoundSeconds is not null;
}
