namespace Rewind.Core.Signals;

/// <summary>
/// The samples of one probe in one bucket of time: a rollup row, or raw samples summed the same way. Latency figures
/// cover every sample, failed ones included (a timeout's latency is how long it waited); <see cref="Under"/> is
/// <see cref="LatencyHistogram"/>'s cumulative counts.
/// </summary>
public sealed record SampleBucket(
    string Probe,
    DateTimeOffset At,
    SampleResolution Resolution,
    long Count,
    long Failures,
    double LatencySumMs,
    double LatencyMinMs,
    double LatencyMaxMs,
    IReadOnlyList<long> Under)
{
    public double LatencyMeanMs => Count == 0 ? 0 : LatencySumMs / Count;

    /// <summary>Successful samples over all, 0..1; null when empty.</summary>
    public double? Availability => Count == 0 ? null : (double)(Count - Failures) / Count;

    public double? LatencyPercentile(double quantile) => LatencyHistogram.Percentile(Under, Count, LatencyMaxMs, quantile);

    /// <summary>The samples summed into one bucket starting at <paramref name="at"/>; null when there are none.</summary>
    public static SampleBucket? Of(string probe, DateTimeOffset at, SampleResolution resolution, IReadOnlyCollection<ProbeSample> samples) =>
        samples.Count == 0
            ? null
            : new SampleBucket(
                probe,
                at,
                resolution,
                samples.Count,
                samples.Count(s => !s.Success),
                samples.Sum(s => s.LatencyMs),
                samples.Min(s => s.LatencyMs),
                samples.Max(s => s.LatencyMs),
                LatencyHistogram.Count(samples.Select(s => s.LatencyMs)));

    /// <summary>Buckets summed into one starting at <paramref name="at"/>; null when there are none.</summary>
    public static SampleBucket? Merge(string probe, DateTimeOffset at, SampleResolution resolution, IReadOnlyCollection<SampleBucket> parts)
    {
        if (parts.Count == 0)
        {
            return null;
        }

        var under = new long[LatencyHistogram.Bounds.Count];
        foreach (var part in parts)
        {
            for (var i = 0; i < under.Length && i < part.Under.Count; i++)
            {
                under[i] += part.Under[i];
            }
        }

        return new SampleBucket(
            probe,
            at,
            resolution,
            parts.Sum(p => p.Count),
            parts.Sum(p => p.Failures),
            parts.Sum(p => p.LatencySumMs),
            parts.Min(p => p.LatencyMinMs),
            parts.Max(p => p.LatencyMaxMs),
            under);
    }

    /// <summary>Buckets regrouped into buckets of <paramref name="resolution"/>, oldest first.</summary>
    public static IReadOnlyList<SampleBucket> Regroup(string probe, SampleResolution resolution, IEnumerable<SampleBucket> parts) =>
        [.. parts.GroupBy(p => resolution.Floor(p.At)).OrderBy(g => g.Key).Select(g => Merge(probe, g.Key, resolution, [.. g])!)];
}
