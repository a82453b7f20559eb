using System.Text;
using Prometheus;

namespace Rewind.Engine.Metrics;

/// <summary>
/// The controller's metric families in a prometheus-net registry of their own (not the library's static default: each
/// controller in a process has its own), written as Prometheus text exposition format 0.0.4. Registering a name twice
/// is a bug, not a lookup.
/// </summary>
internal sealed class MetricsRegistry
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly MetricFactory _factory;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public MetricsRegistry() => _factory = (MetricFactory)Prometheus.Metrics.WithCustomRegistry(_registry);

    public Counter Counter(string name, string help, params string[] labelNames)
    {
        Claim(name);
        return new Counter(_factory.CreateCounter(name, EscapeHelp(help), new CounterConfiguration { LabelNames = labelNames, SuppressInitialValue = true }));
    }

    public Gauge Gauge(string name, string help, params string[] labelNames)
    {
        Claim(name);
        return new Gauge(_factory.CreateGauge(name, EscapeHelp(help), new GaugeConfiguration { LabelNames = labelNames, SuppressInitialValue = true }));
    }

    public Histogram Histogram(string name, string help, IReadOnlyList<double> bounds, params string[] labelNames)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        Claim(name);
        return new Histogram(_factory.CreateHistogram(name, EscapeHelp(help), new HistogramConfiguration { Buckets = [.. bounds.Order()], LabelNames = labelNames, SuppressInitialValue = true }));
    }

    public async Task<string> WriteAsync(CancellationToken cancellationToken = default)
    {
        using var output = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(output, ExpositionFormat.PrometheusText, cancellationToken);
        return Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
    }

    // prometheus-net writes HELP as given; the text format wants its backslashes and line breaks escaped.
    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private void Claim(string name)
    {
        lock (_lock)
        {
            if (!_names.Add(name))
            {
                throw new InvalidOperationException($"metric {name} is registered twice");
            }
        }
    }
}
