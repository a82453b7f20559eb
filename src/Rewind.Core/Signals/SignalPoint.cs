namespace Rewind.Core.Signals;

/// <summary>
/// One value of a numeric signal of a component: a PromQL query's result, a scrape's derived rate or a gauge.
/// A null <see cref="Value"/> is no data (no traffic, or the source failed and <see cref="Error"/> says why): never health.
/// </summary>
public sealed record SignalPoint(string Component, string Signal, DateTimeOffset At, double? Value, string? Error = null);
