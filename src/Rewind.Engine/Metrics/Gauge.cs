using System.Text;

namespace Rewind.Engine.Metrics;

/// <summary>A value that is set, per label set. Gauges read from the controller's state are replaced whole at each scrape.</summary>
internal sealed class Gauge(string name, string help, params string[] labelNames)
    : MetricFamily<Gauge.Cell>(name, help, "gauge", labelNames)
{
    private readonly Lock _replacing = new();

    public void Set(double value, params string[] labelValues) => Series(labelValues).Value = value;

    /// <summary>Drops every series and sets these: a component or probe removed from the config stops being reported.</summary>
    public void Replace(IEnumerable<(double Value, string[] Labels)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        lock (_replacing)
        {
            Clear();
            foreach (var (value, labels) in series)
            {
                Set(value, labels);
            }
        }
    }

    protected override Cell Create() => new();

    protected override void WriteSeries(StringBuilder output, string[] labelValues, Cell series) =>
        output.Append(Name).Append(Labels(labelValues)).Append(' ').Append(ExpositionFormat.Number(series.Value)).Append('\n');

    internal sealed class Cell
    {
        private double _value;

        public double Value
        {
            get => Volatile.Read(ref _value);
            set => Volatile.Write(ref _value, value);
        }
    }
}
