namespace Rewind.Engine.Metrics;

/// <summary>Observations counted into cumulative buckets (<c>le</c>), with their sum and count, per label set.</summary>
internal sealed class Histogram(Prometheus.Histogram histogram)
{
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
