using System.Text;

namespace Rewind.Engine.Metrics;

/// <summary>
/// The controller's metric families, written in registration order as Prometheus text exposition format 0.0.4.
/// Hand-written and small: counters, gauges and histograms with label sets is all <c>/metrics</c> needs.
/// </summary>
internal sealed class MetricsRegistry
{
    private readonly List<IMetricFamily> _families = [];
    private readonly Lock _lock = new();

    public Counter Counter(string name, string help, params string[] labelNames) => Add(new Counter(name, help, labelNames));

    public Gauge Gauge(string name, string help, params string[] labelNames) => Add(new Gauge(name, help, labelNames));

    public Histogram Histogram(string name, string help, IReadOnlyList<double> bounds, params string[] labelNames) => Add(new Histogram(name, help, bounds, labelNames));

    public string Write()
    {
        IMetricFamily[] families;
        lock (_lock)
        {
            families = [.. _families];
        }

        var output = new StringBuilder();
        foreach (var family in families)
        {
            family.Write(output);
        }

        return output.ToString();
    }

    private T Add<T>(T family)
        where T : IMetricFamily
    {
        lock (_lock)
        {
            if (_families.Any(f => f.Name == family.Name))
            {
                throw new InvalidOperationException($"metric {family.Name} is registered twice");
            }

            _families.Add(family);
        }

        return family;
    }
}
