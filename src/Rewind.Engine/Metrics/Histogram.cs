namespace Rewind.Engine.Metrics;

/// <summary>Observations counted into cumulative buckets (<c>le</c>), with their sum and count, per label set.</summary>
internal sealed class Histogram(Prometheus.Histogram histogram)
{
    /// <summary>Children of one label as they are first asked for: an observation per probe run is then one lookup.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Prometheus.Histogram.Child> _children = new(StringComparer.Ordinal);

    /// <summary>One observation of one label (the probe schedule's loop): the hot path of the monitor.</summary>
    public void Observe(double value, string label) =>
        _children.GetOrAdd(label, l => histogram.WithLabels(l)).Observe(value);

    public void Observe(double value, params string[] labelValues)
    {
        if (labelValues.Length == 0)
        {
            histogram.Observe(value);
        }
        else
        {
            histogram.WithLabels(labelValues).Observe(value);
        }
    }
}
