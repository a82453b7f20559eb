namespace Rewind.Core.Signals;

/// <summary>One result of one probe run. A failed probe is a value, never an exception.</summary>
public sealed record ProbeSample(string Component, string Probe, DateTimeOffset At, bool Success, double LatencyMs, string? Error = null)
{
    /// <summary>The serving version the answer named, for a probe that is the component's version source; else null.</summary>
    public string? Version { get; init; }

    /// <summary>
    /// The replica that probed it, when the store has several (PostgreSQL): the leader decides on the samples other
    /// replicas write, which it reads back from the store. Null for a SQLite store's one controller.
    /// </summary>
    public string? Replica { get; init; }
}
