namespace Rewind.Core.Signals;

/// <summary>One result of one probe run. A failed probe is a value, never an exception.</summary>
public sealed record ProbeSample(string Component, string Probe, DateTimeOffset At, bool Success, double LatencyMs, string? Error = null);
