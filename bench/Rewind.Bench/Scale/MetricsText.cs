using System.Globalization;

namespace Rewind.Bench.Scale;

/// <summary>A page of the Prometheus text format, read into series (name, label text, value).</summary>
internal sealed class MetricsText
{
    private readonly List<(string Name, string Labels, double Value)> _series = [];

    private MetricsText()
    {
    }

    public static MetricsText Empty { get; } = new();

    public static MetricsText Parse(string text)
    {
        var page = new MetricsText();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var nameEnd = brace >= 0 && brace < space ? brace : line.IndexOf(' ', StringComparison.Ordinal);
            var labels = brace >= 0 && brace < space ? line[(brace + 1)..line.LastIndexOf('}')] : "";
            if (double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                page._series.Add((line[..nameEnd], labels, value));
            }
        }

        return page;
    }

    public bool IsEmpty => _series.Count == 0;

    public bool Has(string name) => _series.Any(s => s.Name == name);

    /// <summary>The sum over the series of <paramref name="name"/> whose labels contain every one of <paramref name="labels"/> (e.g. <c>result="fail"</c>).</summary>
    public double Sum(string name, params string[] labels) =>
        _series.Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    /// <summary>The cumulative buckets (upper bound, count) of a histogram's series with these labels, in order.</summary>
    public IReadOnlyList<(double Le, double Count)> Buckets(string name, params string[] labels) =>
        [.. _series
            .Where(s => s.Name == name + "_bucket" && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal)))
            .Select(s => (Le: Le(s.Labels), s.Value))
            .GroupBy(b => b.Le)
            .Select(g => (g.Key, g.Sum(b => b.Value)))
            .OrderBy(b => b.Key)];

    /// <summary>
    /// The <paramref name="q"/> quantile of what was observed between two pages, interpolated in its bucket as
    /// Prometheus' <c>histogram_quantile</c> does; +∞ when it lies above the last finite bound; null without observations.
    /// </summary>
    public static double? Quantile(double q, IReadOnlyList<(double Le, double Count)> before, IReadOnlyList<(double Le, double Count)> after)
    {
        var delta = after.Select(b => (b.Le, Count: b.Count - before.Where(x => x.Le == b.Le).Sum(x => x.Count))).ToList();
        var total = delta.Count == 0 ? 0 : delta[^1].Count;
        if (total <= 0)
        {
            return null;
        }

        var rank = q * total;
        var (lowerBound, lowerCount) = (0.0, 0.0);
        foreach (var (le, count) in delta)
        {
            if (count >= rank)
            {
                return double.IsPositiveInfinity(le) ? le : lowerBound + ((le - lowerBound) * (rank - lowerCount) / Math.Max(count - lowerCount, 1e-9));
            }

            (lowerBound, lowerCount) = (le, count);
        }

        return double.PositiveInfinity;
    }

    private static double Le(string labels)
    {
        var start = labels.IndexOf("le=\"", StringComparison.Ordinal) + 4;
        var text = labels[start..labels.IndexOf('"', start)];
        return text == "+Inf" ? double.PositiveInfinity : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
