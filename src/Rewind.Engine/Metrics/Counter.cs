namespace Rewind.Engine.Metrics;

/// <summary>A value that only goes up, per label set.</summary>
internal sealed class Counter(Prometheus.Counter counter)
{
    /// <summary>Children of three labels as they are first asked for: a count per probe sample is then one lookup of a tuple.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string, string), Prometheus.Counter.Child> _children = new();

    public void Inc(params string[] labelValues) => Add(1, labelValues);

    /// <summary>One more of three labels (a probe sample's component, probe and result): the hot path of the monitor.</summary>
    public void Inc(string first, string second, string third) =>
        _children.GetOrAdd((first, second, third), key => counter.WithLabels(key.Item1, key.Item2, key.Item3)).Inc();

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
