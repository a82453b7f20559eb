using Rewind.Core.Detectors;

namespace Rewind.Core.Tests.Detectors;

/// <summary>The latency-quantile test: the bound taken from the last known good's histogram, and the share of slower requests judged against 1 − q.</summary>
public sealed class LatencyShiftTestTests
{
    // 10,000 requests: 90 % within 50 ms, 97 % within 100 ms, 99.5 % within 250 ms.
    private static readonly (double, double)[] Baseline = [(0.025, 6000), (0.05, 9000), (0.1, 9700), (0.25, 9950), (0.5, 10_000), (double.PositiveInfinity, 10_000)];

    [Theory]
    [InlineData(0.95, 0.1)]   // 3 % slower than 100 ms: at most 3.4 % with 99 % confidence, within 5 %
    [InlineData(0.9, 0.1)]    // 10 % slower than 50 ms is not within 10 % with 99 % confidence: the next bound
    [InlineData(0.99, 0.25)]
    [InlineData(0.5, 0.025)]
    public void BoundOf_TheSmallestBoundTheQuantileStaysUnderWith99PercentConfidence(double quantile, double bound)
    {
        var found = LatencyShiftTest.BoundOf(Baseline, quantile, 1000, out var reason);

        found.ShouldNotBeNull(reason);
        found.Value.Bound.ShouldBe(bound);
        found.Value.Requests.ShouldBe(10_000);
    }

    [Fact]
    public void BoundOf_TooFewRequestsOrTheQuantileBeyondTheHighestBound_IsNoneWithTheReason()
    {
        LatencyShiftTest.BoundOf(Baseline, 0.95, 20_000, out var few).ShouldBeNull();
        few.ShouldBe("10000 requests in its latency histogram, fewer than the 20000 a baseline needs");

        LatencyShiftTest.BoundOf([(0.1, 900), (double.PositiveInfinity, 1000)], 0.95, 1000, out var beyond).ShouldBeNull(); // 10 % slower than its only bound
        beyond.ShouldBe("its p95 is not below the histogram's highest bound with 99 % confidence");

        LatencyShiftTest.BoundOf([], 0.95, 0, out _).ShouldBeNull();
    }

    [Fact]
    public void Slower_CountsRequestsAboveTheBound()
    {
        LatencyShiftTest.Slower(Baseline, 0.1).ShouldBe((10_000L, 300L));
        LatencyShiftTest.Slower(Baseline, 0.5).ShouldBe((10_000L, 0L));
        LatencyShiftTest.Slower([], 0.1).ShouldBe((0L, 0L));
    }

    [Fact]
    public void Observe_QuantileShiftedAboveTheBound_FiresWithItsEvidence()
    {
        var test = LatencyShiftTest.Start(Baseline, "v1", 0.95, 2, 0.0005, 0.01, 1000, out _)!;
        var fired = 0;
        for (var scrape = 1; scrape <= 40 && test.Test.Verdict != AnytimeVerdict.Regressed; scrape++)
        {
            test = test.Observe([(0.05, 30), (0.1, 40), (0.25, 50), (double.PositiveInfinity, 50)]); // 20 % slower than 100 ms
            fired = scrape;
        }

        test.Test.Verdict.ShouldBe(AnytimeVerdict.Regressed);
        fired.ShouldBeLessThanOrEqualTo(8); // 400 requests
        test.Describe().ShouldStartWith("p95 latency shifted: ");
        test.Describe().ShouldContain("slower than 100 ms in ");
        test.Describe().ShouldContain("against the 5.0 % a p95 within 100 ms allows: about ");
        test.Describe().ShouldEndWith("; 100 ms is the bound the last known good v1 kept its p95 under (3.0 % of its 10,000 requests slower)");
    }

    [Fact]
    public void Observe_ReleasesLikeTheirPredecessor_AlarmAtMostAtRateAlpha()
    {
        // A large α makes alarms countable: 4,000 releases with 3 % of their requests over the bound (as their
        // predecessor) and 2,000 at exactly 5 % (the null's edge), 4,000 requests each in scrapes of 20.
        const double alpha = 0.05;
        var random = new Random(20261206);
        foreach (var (share, releases) in new[] { (0.03, 4000), (0.05, 2000) })
        {
            var alarms = 0;
            for (var release = 0; release < releases; release++)
            {
                var test = LatencyShiftTest.Start(Baseline, "v1", 0.95, 2, alpha, 0.01, 1000, out _)!;
                for (var scrape = 0; scrape < 200 && test.Test.Verdict != AnytimeVerdict.Regressed; scrape++)
                {
                    var slower = 0;
                    for (var i = 0; i < 20; i++)
                    {
                        slower += random.NextDouble() < share ? 1 : 0;
                    }

                    test = test.Observe([(0.1, 20 - slower), (0.25, 20), (double.PositiveInfinity, 20)]);
                }

                alarms += test.Test.Verdict == AnytimeVerdict.Regressed ? 1 : 0;
            }

            var rate = (double)alarms / releases;
            rate.ShouldBeLessThanOrEqualTo(alpha + (3 * Math.Sqrt(alpha * (1 - alpha) / releases)), $"share {share}");
        }
    }
}
