using Rewind.Core.Signals;
using Rewind.Storage.Sql;

namespace Rewind.Storage.Signals;

/// <summary>A <c>probe_samples</c> row as Dapper reads it.</summary>
internal sealed class ProbeSampleRow
{
    public const string Columns = "component AS Component, probe AS Probe, at AS At, success AS Success, latency_ms AS LatencyMs, error AS Error";

    public string Component { get; set; } = "";

    public string Probe { get; set; } = "";

    public long At { get; set; }

    public bool Success { get; set; }

    public double LatencyMs { get; set; }

    public string? Error { get; set; }

    public ProbeSample ToSample() => new(Component, Probe, DbValues.FromMs(At), Success, LatencyMs, Error);
}
