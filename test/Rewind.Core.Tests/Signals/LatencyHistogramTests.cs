using Rewind.Core.Signals;

namespace Rewind.Core.Tests.Signals;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentile_Median_IsTheBoundOfTheBucketHoldingIt()
    {
        var latencies = new[] { 4.0, 8, 9, 12, 40 };

        LatencyHistogram.Percentile(LatencyHistogram.Count(latencies), latencies.Length, 40, 0.5).ShouldBe(10);
    }

    [Fact]
    public void Percentile_AboveTheLastBoundOrBeyondTheMax_IsTheMax()
    {
        LatencyHistogram.Percentile(LatencyHistogram.Count([6000.0, 7000]), 2, 7000, 0.5).ShouldBe(7000);
        LatencyHistogram.Percentile(LatencyHistogram.Count([11.0, 12]), 2, 12, 0.5).ShouldBe(12); // bound 20, capped at the max
        LatencyHistogram.Percentile([], 0, 0, 0.5).ShouldBeNull();
    }

    [Fact]
    public void Merge_MinuteBuckets_GivesTheFiguresOfTheirSamplesTogether()
    {
        var at = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        var samples = Enumerable.Range(0, 120).Select(i => new ProbeSample("web", "http", at.AddSeconds(i), i % 10 != 0, i * 2.5)).ToList();
        var minutes = samples.GroupBy(s => SampleResolution.Minute.Floor(s.At)).Select(g => SampleBucket.Of("http", g.Key, SampleResolution.Minute, [.. g])!).ToList();

        var merged = SampleBucket.Merge("http", at, SampleResolution.Hour, minutes)!;
        var whole = SampleBucket.Of("http", at, SampleResolution.Hour, samples)!;

        (merged.Count, merged.Failures, merged.LatencySumMs, merged.LatencyMinMs, merged.LatencyMaxMs).ShouldBe((whole.Count, whole.Failures, whole.LatencySumMs, whole.LatencyMinMs, whole.LatencyMaxMs));
        merged.Under.ShouldBe(whole.Under);
        merged.LatencyPercentile(0.5).ShouldBe(whole.LatencyPercentile(0.5));
        merged.Availability.ShouldBe(108 / 120.0);
    }
}
