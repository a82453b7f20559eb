using System.Text;

namespace Rewind.Engine.Metrics;

/// <summary>A value that only goes up, per label set.</summary>
internal sealed class Counter(string name, string help, params string[] labelNames)
    : MetricFamily<Counter.Cell>(name, help, "counter", labelNames)
{
    public void Inc(params string[] labelValues) => Add(1, labelValues);

    public void Add(double amount, params string[] labelValues)
    {
        if (amount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "a counter never goes down");
        }

        Series(labelValues).Add(amount);
    }

    /// <summary>Makes the series exist at zero, so a rate over it is defined before the first event.</summary>
    public void Touch(params string[] labelValues) => Series(labelValues);

    protected override Cell Create() => new();

    protected override void WriteSeries(StringBuilder output, string[] labelValues, Cell series) =>
        output.Append(Name).Append(Labels(labelValues)).Append(' ').Append(ExpositionFormat.Number(series.Value)).Append('\n');

    internal sealed class Cell
    {
        private double _value;

        public double Value => Volatile.Read(ref _value);

        public void Add(double amount)
        {
            double seen, next;
            do
            {
                seen = Volatile.Read(ref _value);
                next = seen + amount;
            }
            while (Interlocked.CompareExchange(ref _value, next, seen) != seen);
        }
    }
}
