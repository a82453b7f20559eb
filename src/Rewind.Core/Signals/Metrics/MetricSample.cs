namespace Rewind.Core.Signals.Metrics;

/// <summary>One sample line of a Prometheus text exposition: a name, its labels and a value.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, long? TimestampMs = null)
{
    public string? Label(string name) => Labels.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A parsed exposition: the samples, the declared types, and every line that could not be read.</summary>
public sealed record Exposition(IReadOnlyList<MetricSample> Samples, IReadOnlyDictionary<string, string> Types, IReadOnlyList<string> Errors)
{
    /// <summary>The sum of every sample of a metric whose labels pass the filter (all of them without one).</summary>
    public double Sum(string name, Func<MetricSample, bool>? filter = null) =>
        Samples.Where(s => string.Equals(s.Name, name, StringComparison.Ordinal) && (filter is null || filter(s))).Sum(s => s.Value);

    public bool Has(string name) => Samples.Any(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
