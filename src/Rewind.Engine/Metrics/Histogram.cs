using System.Globalization;
using System.Text;

namespace Rewind.Engine.Metrics;

/// <summary>Observations counted into cumulative buckets (<c>le</c>), with their sum and count, per label set.</summary>
internal sealed class Histogram : MetricFamily<Histogram.Cell>
{
    private readonly double[] _bounds;

    public Histogram(string name, string help, IReadOnlyList<double> bounds, params string[] labelNames)
        : base(name, help, "histogram", labelNames)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        _bounds = [.. bounds.Order()];
    }

    public void Observe(double value, params string[] labelValues) => Series(labelValues).Observe(_bounds, value);

    protected override Cell Create() => new(_bounds.Length);

    protected override void WriteSeries(StringBuilder output, string[] labelValues, Cell series)
    {
        var (buckets, sum, count) = series.Read();
        for (var i = 0; i <= _bounds.Length; i++)
        {
            var le = i < _bounds.Length ? ExpositionFormat.Number(_bounds[i]) : "+Inf";
            output.Append(Name).Append("_bucket").Append(Labels(labelValues, $"le=\"{le}\"")).Append(' ').Append(buckets[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        var labels = Labels(labelValues);
        output.Append(Name).Append("_sum").Append(labels).Append(' ').Append(ExpositionFormat.Number(sum)).Append('\n');
        output.Append(Name).Append("_count").Append(labels).Append(' ').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    internal sealed class Cell(int bounds)
    {
        private readonly long[] _cumulative = new long[bounds + 1];
        private readonly Lock _lock = new();
        private double _sum;
        private long _count;

        public void Observe(double[] bounds, double value)
        {
            lock (_lock)
            {
                for (var i = 0; i < bounds.Length; i++)
                {
                    if (value <= bounds[i])
                    {
                        _cumulative[i]++;
                    }
                }

                _cumulative[bounds.Length]++;
                _sum += value;
                _count++;
            }
        }

        public (long[] Buckets, double Sum, long Count) Read()
        {
            lock (_lock)
            {
                return ([.. _cumulative], _sum, _count);
            }
        }
    }
}
