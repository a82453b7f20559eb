namespace Rewind.Core.Signals;

/// <summary>
/// The fixed latency buckets every rollup keeps (how many samples took at most each bound), so that a percentile can
/// be read the same way from raw samples and from any rollup: the bound of the bucket that holds it, never more than
/// the largest latency seen. The bounds step by at most 2×, so a percentile read here is at most twice the exact one.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Upper bounds in milliseconds, ascending; latencies above the last are counted only in the total.</summary>
    public static readonly IReadOnlyList<double> Bounds = [1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000];

    /// <summary>How many of <paramref name="latenciesMs"/> are at most each bound (cumulative).</summary>
    public static long[] Count(IEnumerable<double> latenciesMs)
    {
        var under = new long[Bounds.Count];
        foreach (var latency in latenciesMs)
        {
            for (var i = 0; i < Bounds.Count; i++)
            {
                if (latency <= Bounds[i])
                {
                    under[i]++;
                }
            }
        }

        return under;
    }

    /// <summary>
    /// The <paramref name="quantile"/> (0..1] of <paramref name="count"/> samples whose cumulative counts are
    /// <paramref name="under"/>: the first bound holding that rank, capped at <paramref name="maxMs"/>; null when empty.
    /// </summary>
    public static double? Percentile(IReadOnlyList<long> under, long count, double maxMs, double quantile)
    {
        if (count <= 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * count));
        for (var i = 0; i < Bounds.Count && i < under.Count; i++)
        {
            if (under[i] >= rank)
            {
                return Math.Min(Bounds[i], maxMs);
            }
        }

        return maxMs;
    }
}
