using System.Globalization;

namespace Rewind.Core.Detectors;

/// <summary>
/// Whether a release's latency quantile q (0.95 for p95) moved above its last known good's. Histograms give bucket
/// bounds, not exact quantiles, so the test works on the <b>bound</b>: the smallest bucket bound b the last known good
/// kept its quantile under with 99 % confidence (the Wilson upper bound of its share of requests slower than b is at
/// most 1 − q). A release whose q-quantile is at most b has at most 1 − q of its requests slower than b; one whose
/// quantile moved above b has more. The release's share slower than b is then judged by an
/// <see cref="AnytimeRegressionTest"/> with p0 = 1 − q: any growth from about 1.5× up is caught, false alarms stay at
/// most α over any horizon, and a release like its predecessor (its share at most the predecessor's, itself at most
/// 1 − q with 99 % confidence) is not taken for a shift. A shift inside b's bucket is not seen: the resolution is the
/// histogram's.
/// </summary>
public sealed record LatencyShiftTest(double Bound, double Quantile, double BaselineSlower, double BaselineRequests, string BaselineRelease, AnytimeRegressionTest Test)
{
    /// <summary>
    /// The bound for <paramref name="quantile"/> in the last known good's cumulative buckets (ascending, +Inf last), or
    /// null with the reason in words: too few requests, or the quantile beyond the highest finite bound.
    /// </summary>
    public static (double Bound, double Slower, double Requests)? BoundOf(IReadOnlyList<(double UpperBound, double CumulativeCount)> buckets, double quantile, double minRequests, out string reason)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var total = buckets.Count == 0 ? 0 : buckets[^1].CumulativeCount;
        if (total < Math.Max(1, minRequests))
        {
            reason = F($"{total:0} requests in its latency histogram, fewer than the {minRequests:0} a baseline needs");
            return null;
        }

        foreach (var (bound, count) in buckets)
        {
            if (!double.IsPositiveInfinity(bound) && RateBounds.Upper(total - count, total) <= 1 - quantile)
            {
                reason = "";
                return (bound, total - count, total);
            }
        }

        reason = F($"its {Name(quantile)} is not below the histogram's highest bound with 99 % confidence");
        return null;
    }

    /// <summary>Starts the test for a release against its last known good's buckets; null (with the reason) when no bound can be set.</summary>
    public static LatencyShiftTest? Start(IReadOnlyList<(double UpperBound, double CumulativeCount)> baseline, string baselineRelease, double quantile, double factor, double falseAlarmRate, double missRate, double minRequests, out string reason)
    {
        if (BoundOf(baseline, quantile, minRequests, out reason) is not { } found)
        {
            return null;
        }

        var test = AnytimeRegressionTest.Start(1 - quantile, factor, falseAlarmRate, missRate);
        return new LatencyShiftTest(found.Bound, quantile, found.Slower, found.Requests, baselineRelease, test);
    }

    /// <summary>Requests and those slower than <paramref name="bound"/> in cumulative buckets (a bound the histogram lacks counts every request as slower only above its next lower bound).</summary>
    public static (long Requests, long Slower) Slower(IReadOnlyList<(double UpperBound, double CumulativeCount)> buckets, double bound)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Count == 0)
        {
            return (0, 0);
        }

        var total = buckets[^1].CumulativeCount;
        var within = buckets.Where(b => b.UpperBound <= bound * (1 + 1e-9)).Select(b => b.CumulativeCount).DefaultIfEmpty(0).Max();
        var requests = (long)Math.Round(total);
        return (requests, Math.Clamp((long)Math.Round(total - within), 0, requests));
    }

    /// <summary>Adds a scrape's histogram increase.</summary>
    public LatencyShiftTest Observe(IReadOnlyList<(double UpperBound, double CumulativeCount)> increase)
    {
        var (requests, slower) = Slower(increase, Bound);
        return requests == 0 ? this : this with { Test = Test.Observe(requests, slower) };
    }

    /// <summary>
    /// In an operator's words, e.g. "p95 latency shifted: 42 slower than 250 ms in 300 requests (14.0 %) against the
    /// 5.0 % a p95 within 250 ms allows: about 2.8× the baseline; e-value …; 250 ms is the bound the last known good v1
    /// kept its p95 under (3.1 % of its 12,000 requests slower)".
    /// </summary>
    public string Describe() =>
        F($"{Name(Quantile)} latency {(Test.Verdict == AnytimeVerdict.Regressed ? "shifted" : "watched")}: ")
        + Test.Describe(F($"slower than {Duration(Bound)} in"), p0 => F($"the {p0} % a {Name(Quantile)} within {Duration(Bound)} allows"))
        + F($"; {Duration(Bound)} is the bound the last known good {BaselineRelease} kept its {Name(Quantile)} under ({100 * BaselineSlower / BaselineRequests:0.0#} % of its {BaselineRequests:N0} requests slower)");

    /// <summary>"p95", "p99.9".</summary>
    public static string Name(double quantile) => "p" + (100 * quantile).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Duration(double seconds) => seconds < 1 ? F($"{1000 * seconds:0.##} ms") : F($"{seconds:0.###} s");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
