namespace Rewind.Core.Signals;

/// <summary>
/// Whether a failure about to cause an action can be believed: conclusive, or inconclusive with the reason in plain
/// words (page a human, do not roll back).
/// </summary>
public sealed record MonitorVerdict(bool Conclusive, string? Reason)
{
    public static MonitorVerdict Believed { get; } = new(true, null);

    public static MonitorVerdict Inconclusive(string reason) => new(false, reason);
}

/// <summary>The controller's own health at one moment, for the health answer and the metrics.</summary>
/// <param name="Overloaded">True when the controller's own lateness makes timeouts it sees unbelievable.</param>
/// <param name="Reason">Why it is overloaded, in plain words; null when it is not.</param>
/// <param name="MaxLag">The latest start of a probe run in the window (zero when none was late).</param>
/// <param name="MaxStoreWrite">The slowest store write in the window.</param>
public sealed record MonitorStatus(bool Overloaded, string? Reason, TimeSpan MaxLag, TimeSpan MaxStoreWrite)
{
    /// <summary>Probe runs not measured in the window (<see cref="NotMeasuredReason"/>): the controller was behind.</summary>
    public int NotMeasured { get; init; }

    /// <summary>True when the runs not measured in the window are enough, alone, to make the controller overloaded.</summary>
    public bool BehindOnProbes { get; init; }

    /// <summary>Probe runs not measured since the controller started.</summary>
    public long NotMeasuredTotal { get; init; }
}
