namespace Rewind.Engine.Metrics;

/// <summary>A value that is set, per label set. Gauges read from the controller's state are replaced whole at each scrape.</summary>
internal sealed class Gauge(Prometheus.Gauge gauge)
{
    private readonly Lock _replacing = new();

    public void Set(double value, params string[] labelValues)
    {
        if (labelValues.Length == 0)
        {
            gauge.Set(value);
        }
        else
        {
            gauge.WithLabels(labelValues).Set(value);
        }
    }

    /// <summary>Drops every series and sets these: a component or probe removed from the config stops being reported.</summary>
    public void Replace(IEnumerable<(double Value, string[] Labels)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        lock (_replacing)
        {
            var kept = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (value, labels) in series)
            {
                Set(value, labels);
                kept.Add(Key(labels));
            }

            if (gauge.LabelNames.Length == 0)
            {
                if (kept.Count == 0)
                {
                    gauge.Unpublish();
                }

                return;
            }

            foreach (var labels in gauge.GetAllLabelValues().Where(labels => !kept.Contains(Key(labels))).ToList())
            {
                gauge.RemoveLabelled(labels);
            }
        }
    }

    private static string Key(string[] labels) => string.Join('\0', labels);
}
