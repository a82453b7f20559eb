using System.Globalization;
using System.Text.RegularExpressions;

namespace Rewind.Runtime.Tests.Samples;

/// <summary>One scrape of the sample service's <c>/metrics</c>, read sample by sample with a small regex.</summary>
public sealed partial class MetricsScrape
{
    private MetricsScrape(string text, IReadOnlyList<MetricSample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<MetricSample> Samples { get; }

    public static async Task<MetricsScrape> ReadAsync(HttpClient http, string baseUrl)
    {
        var text = await http.GetStringAsync(new Uri(baseUrl + "/metrics"));
        var samples = new List<MetricSample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            var match = SampleLine().Match(line);
            match.Success.ShouldBeTrue($"not a sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(l => l.Groups["name"].Value, l => Unescape(l.Groups["value"].Value), StringComparer.Ordinal);
            samples.Add(new MetricSample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return new MetricsScrape(text, samples);
    }

    public IEnumerable<MetricSample> Named(string name) => Samples.Where(s => s.Name == name);

    /// <summary>The value of the one sample with this name and these labels, or 0 when it is absent (a counter not yet seen).</summary>
    public double Value(string name, params (string Name, string Value)[] labels) =>
        Named(name).SingleOrDefault(s => labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value))?.Value ?? 0;

    private static string Unescape(string value) =>
        EscapedChar().Replace(value, m => m.Value[1] == 'n' ? "\n" : m.Value[1..]);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$""", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<name>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LabelPair();

    [GeneratedRegex("""\\.""", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EscapedChar();
}

public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
