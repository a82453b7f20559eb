namespace Rewind.Engine.Metrics;

/// <summary>A value that only goes up, per label set.</summary>
internal sealed class Counter(Prometheus.Counter counter)
{
    public void Inc(params string[] labelValues) => Add(1, labelValues);

    public void Add(double amount, params string[] labelValues)
    {
        if (amount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "a counter never goes down");
        }

        if (labelValues.Length == 0)
        {
            counter.Inc(amount);
        }
        else
        {
            counter.WithLabels(labelValues).Inc(amount);
        }
    }

    /// <summary>Makes the series exist at zero, so a rate over it is defined before the first event.</summary>
    public void Touch(params string[] labelValues)
    {
        if (labelValues.Length == 0)
        {
            counter.Publish();
        }
        else
        {
            counter.WithLabels(labelValues).Publish();
        }
    }
}
