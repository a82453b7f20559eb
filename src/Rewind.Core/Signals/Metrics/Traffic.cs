using System.Globalization;

namespace Rewind.Core.Signals.Metrics;

/// <summary>One scrape of an application's <c>/metrics</c>, with the time it was taken.</summary>
public sealed record Scrape(DateTimeOffset At, Exposition Exposition);

/// <summary>Which series carry the traffic: a request counter with a status-code label, and an optional latency histogram.</summary>
public sealed record TrafficSelector(
    string RequestsMetric = "http_requests_total",
    string CodeLabel = "code",
    string? DurationHistogram = "http_request_duration_seconds",
    double? LatencyObjectiveSeconds = null);

/// <summary>
/// What happened between two scrapes: requests, server errors (5xx) and requests slower than the latency objective.
/// <see cref="Reset"/> says a counter went back (the process restarted); the increase is then counted from zero, as
/// Prometheus' <c>increase()</c> does. <see cref="Gap"/> says the scrapes are further apart than expected: the counts
/// are still right, only less precise in time.
/// </summary>
public sealed record TrafficDelta(TimeSpan Elapsed, double Requests, double Errors, double Slow, bool Reset, bool Gap)
{
    /// <summary>
    /// The duration histogram's increase, cumulative per bucket bound in ascending order (+Inf last, the histogram's
    /// count); empty without a histogram.
    /// </summary>
    public IReadOnlyList<(double UpperBound, double CumulativeCount)> Latency { get; init; } = [];

    /// <summary>Errors or slow requests; a request both slow and failed cannot be told apart, so the sum is capped.</summary>
    public double Bad => Math.Min(Requests, Errors + Slow);

    public double RequestRate => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;

    public double ErrorRatio => Requests > 0 ? Errors / Requests : 0;

    public double BadRatio => Requests > 0 ? Bad / Requests : 0;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Requests:0} requests in {Elapsed.TotalSeconds:0.#}s ({RequestRate:0.#}/s), {Errors:0} errors ({100 * ErrorRatio:0.##} %), {Slow:0} slow{(Reset ? "; counters reset (restart)" : "")}{(Gap ? "; scrape gap" : "")}");
}

/// <summary>Turns two scrapes into a <see cref="TrafficDelta"/>, per series, across counter resets and scrape gaps.</summary>
public static class Traffic
{
    private const string StartTime = "process_start_time_seconds";

    public static TrafficDelta Between(Scrape previous, Scrape current, TrafficSelector selector, TimeSpan expectedInterval)
    {
        var restarted = previous.Exposition.Has(StartTime) && current.Exposition.Has(StartTime)
            && Math.Abs(previous.Exposition.Sum(StartTime) - current.Exposition.Sum(StartTime)) > 0.5;
        var requests = Increase(previous, current, selector.RequestsMetric, null, restarted);
        var errors = Increase(previous, current, selector.RequestsMetric, s => s.Label(selector.CodeLabel) is ['5', _, _], restarted);
        var slow = 0.0;
        if (selector is { DurationHistogram: { } histogram, LatencyObjectiveSeconds: { } objective })
        {
            var bound = BucketAtOrBelow(current.Exposition, histogram + "_bucket", objective);
            var total = Increase(previous, current, histogram + "_count", null, restarted);
            var fast = bound is null ? 0 : Increase(previous, current, histogram + "_bucket", s => s.Label("le") == bound, restarted).Value;
            slow = Math.Max(0, total.Value - fast);
        }

        var elapsed = current.At - previous.At;
        var reset = restarted || requests.Reset || errors.Reset;
        return new TrafficDelta(elapsed, requests.Value, errors.Value, slow, reset, elapsed > expectedInterval * 2.5)
        {
            Latency = selector.DurationHistogram is { } name ? LatencyIncrease(previous, current, name, reset) : [],
        };
    }

    /// <summary>The histogram buckets' increase between two scrapes, ascending; after a restart the new process' buckets from zero.</summary>
    public static IReadOnlyList<(double UpperBound, double CumulativeCount)> LatencyIncrease(Scrape previous, Scrape current, string histogram, bool reset)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var now = HistogramQuantile.Buckets(current.Exposition, histogram).OrderBy(b => b.UpperBound).ToList();
        if (reset)
        {
            return now;
        }

        var before = HistogramQuantile.Buckets(previous.Exposition, histogram).ToDictionary(b => b.UpperBound, b => b.CumulativeCount);
        return [.. now.Select(b => (b.UpperBound, before.TryGetValue(b.UpperBound, out var old) && old <= b.CumulativeCount ? b.CumulativeCount - old : b.CumulativeCount))];
    }

    private static (double Value, bool Reset) Increase(Scrape previous, Scrape current, string name, Func<MetricSample, bool>? filter, bool restarted)
    {
        var before = previous.Exposition.Samples
            .Where(s => string.Equals(s.Name, name, StringComparison.Ordinal) && (filter is null || filter(s)))
            .ToDictionary(Key, s => s.Value, StringComparer.Ordinal);
        double total = 0;
        var reset = false;
        foreach (var sample in current.Exposition.Samples.Where(s => string.Equals(s.Name, name, StringComparison.Ordinal) && (filter is null || filter(s))))
        {
            if (restarted || !before.TryGetValue(Key(sample), out var old))
            {
                total += sample.Value; // a new series, or a new process: counted from zero
            }
            else if (sample.Value < old)
            {
                total += sample.Value;
                reset = true;
            }
            else
            {
                total += sample.Value - old;
            }
        }

        return (total, reset);
    }

    private static string? BucketAtOrBelow(Exposition exposition, string bucketName, double objective) =>
        exposition.Samples
            .Where(s => string.Equals(s.Name, bucketName, StringComparison.Ordinal) && s.Label("le") is { } le && le != "+Inf")
            .Select(s => (Label: s.Label("le")!, Bound: double.Parse(s.Label("le")!, CultureInfo.InvariantCulture)))
            .Where(b => b.Bound <= objective + 1e-12)
            .OrderByDescending(b => b.Bound)
            .Select(b => b.Label)
            .FirstOrDefault();

    private static string Key(MetricSample sample) =>
        string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
}
