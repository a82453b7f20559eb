using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Rewind.Engine.Metrics;

/// <summary>
/// One metric name with its HELP, TYPE and label names, and a series per set of label values. Series are kept in a
/// concurrent map; writers never block the exposition, which sorts series so the output is stable.
/// </summary>
internal abstract class MetricFamily<TSeries>(string name, string help, string type, IReadOnlyList<string> labelNames) : IMetricFamily
    where TSeries : class
{
    private readonly ConcurrentDictionary<string, (string[] Labels, TSeries Series)> _series = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    protected TSeries Series(string[] labelValues)
    {
        if (labelValues.Length != labelNames.Count)
        {
            throw new ArgumentException($"{Name} takes {labelNames.Count} label value(s), got {labelValues.Length}", nameof(labelValues));
        }

        return _series.GetOrAdd(string.Join('\0', labelValues), _ => ((string[])labelValues.Clone(), Create())).Series;
    }

    protected void Clear() => _series.Clear();

    protected abstract TSeries Create();

    protected abstract void WriteSeries(StringBuilder output, string[] labelValues, TSeries series);

    /// <summary>The rendered label set of a series, with an extra label last when given.</summary>
    protected string Labels(string[] labelValues, string? extra = null) => ExpositionFormat.Labels(labelNames, labelValues, extra);

    public void Write(StringBuilder output)
    {
        output.Append("# HELP ").Append(Name).Append(' ').Append(ExpositionFormat.EscapeHelp(help)).Append('\n');
        output.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
        foreach (var (_, (labels, series)) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            WriteSeries(output, labels, series);
        }
    }
}

/// <summary>A family the registry can write without knowing its kind.</summary>
internal interface IMetricFamily
{
    string Name { get; }

    void Write(StringBuilder output);
}

/// <summary>The escaping and number format of the Prometheus text exposition format 0.0.4.</summary>
internal static class ExpositionFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string EscapeHelp(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string EscapeLabelValue(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary><c>{a="x",b="y"}</c>, or nothing without labels; <paramref name="extra"/> is appended last (the histogram's <c>le</c>).</summary>
    public static string Labels(IReadOnlyList<string> names, IReadOnlyList<string> values, string? extra = null)
    {
        if (names.Count == 0 && extra is null)
        {
            return "";
        }

        var parts = names.Select((n, i) => $"{n}=\"{EscapeLabelValue(values[i])}\"");
        return "{" + string.Join(",", extra is null ? parts : parts.Append(extra)) + "}";
    }

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
