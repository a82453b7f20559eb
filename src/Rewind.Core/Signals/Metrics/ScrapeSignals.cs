namespace Rewind.Core.Signals.Metrics;

/// <summary>
/// The numeric signals a scrape yields, named <c>scrape.signal</c>: <c>request-rate</c> (per second), <c>error-ratio</c>,
/// <c>bad-ratio</c>, <c>latency-p50</c>/<c>-p90</c>/<c>-p99</c> (seconds, over the interval, from the histogram's buckets)
/// and every configured gauge. A ratio or quantile without requests in the interval is no data (null), not zero.
/// </summary>
public static class ScrapeSignals
{
    public static readonly IReadOnlyList<string> Derived = ["request-rate", "error-ratio", "bad-ratio", "latency-p50", "latency-p90", "latency-p99"];

    public static IReadOnlyList<(string Name, double? Value)> Of(
        string scrape, Scrape previous, Scrape current, TrafficDelta delta, TrafficSelector selector, IReadOnlyDictionary<string, string> gauges)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(gauges);
        var served = delta.Requests > 0;
        var signals = new List<(string, double?)>
        {
            ($"{scrape}.request-rate", delta.RequestRate),
            ($"{scrape}.error-ratio", served ? delta.ErrorRatio : null),
            ($"{scrape}.bad-ratio", served ? delta.BadRatio : null),
        };

        var buckets = selector.DurationHistogram is { } histogram ? Traffic.LatencyIncrease(previous, current, histogram, delta.Reset) : [];
        foreach (var (label, q) in new[] { ("latency-p50", 0.5), ("latency-p90", 0.9), ("latency-p99", 0.99) })
        {
            signals.Add(($"{scrape}.{label}", HistogramQuantile.Of(q, buckets)));
        }

        foreach (var (name, metric) in gauges)
        {
            signals.Add(($"{scrape}.{name}", current.Exposition.Has(metric) ? current.Exposition.Sum(metric) : null));
        }

        return signals;
    }
}
