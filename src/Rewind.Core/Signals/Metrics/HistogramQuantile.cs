using System.Globalization;

namespace Rewind.Core.Signals.Metrics;

/// <summary>
/// A latency quantile from cumulative histogram buckets, interpolated linearly inside the bucket the way Prometheus'
/// <c>histogram_quantile()</c> does. Returns null without observations; the highest finite bound when the quantile
/// falls in the +Inf bucket.
/// </summary>
public static class HistogramQuantile
{
    public static double? Of(double quantile, IEnumerable<(double UpperBound, double CumulativeCount)> buckets)
    {
        var ordered = buckets.OrderBy(b => b.UpperBound).ToList();
        if (ordered.Count == 0 || ordered[^1].CumulativeCount <= 0)
        {
            return null;
        }

        var rank = quantile * ordered[^1].CumulativeCount;
        var lowerBound = 0.0;
        var lowerCount = 0.0;
        foreach (var (upper, count) in ordered)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(upper))
                {
                    return lowerBound;
                }

                return count == lowerCount ? upper : lowerBound + ((upper - lowerBound) * (rank - lowerCount) / (count - lowerCount));
            }

            lowerBound = upper;
            lowerCount = count;
        }

        return lowerBound;
    }

    /// <summary>The buckets of one histogram in an exposition, summed over its other labels.</summary>
    public static IEnumerable<(double UpperBound, double CumulativeCount)> Buckets(Exposition exposition, string histogram) =>
        exposition.Samples
            .Where(s => string.Equals(s.Name, histogram + "_bucket", StringComparison.Ordinal) && s.Label("le") is not null)
            .GroupBy(s => s.Label("le")!, StringComparer.Ordinal)
            .Select(g => (g.Key == "+Inf" ? double.PositiveInfinity : double.Parse(g.Key, CultureInfo.InvariantCulture), g.Sum(s => s.Value)));
}
