using Rewind.Core.Detectors;

namespace Rewind.Core.Tests.Detectors;

public sealed partial class AnytimeRegressionTestTests
{
    private const double P0 = 0.01;
    private const double Alpha = 0.001;
    private const double Beta = 0.01;

    [Theory]
    [InlineData(1.5)]
    [InlineData(3)]
    [InlineData(20)]
    public void Observe_StepFromTheDeploy_DetectedNearTheOracle(double factor)
    {
        var random = new Random(20261123);
        var oracle = SequentialRegressionTest.MinimumExpectedSampleSize(P0, P0 * factor, Alpha, Beta);
        const int runs = 100;
        long total = 0;
        for (var run = 0; run < runs; run++)
        {
            var test = Start();
            while (test.Verdict == AnytimeVerdict.Continue && test.Events < 20 * oracle)
            {
                test = test.Observe(random.NextDouble() < P0 * factor);
            }

            test.Verdict.ShouldBe(AnytimeVerdict.Regressed);
            total += test.Events;
        }

        ((double)total / runs / oracle).ShouldBeLessThan(1.6);
    }

    [Fact]
    public void Observe_HealthyStreams_FalseAlarmRateAtMostAlphaWithRestartsOverTheWholeRun()
    {
        // A large α makes false alarms countable on a few thousand streams; each stream crosses ~400 restart boundaries.
        const double alpha = 0.05;
        const double p0 = 0.02;
        const int streams = 4_000;
        var random = new Random(11);
        var alarms = 0;
        for (var stream = 0; stream < streams; stream++)
        {
            var test = AnytimeRegressionTest.Start(p0, 10, alpha, Beta);
            for (var batch = 0; batch < 1_000 && test.Verdict == AnytimeVerdict.Continue; batch++)
            {
                var bad = 0;
                for (var i = 0; i < 20; i++)
                {
                    bad += random.NextDouble() < p0 ? 1 : 0;
                }

                test = test.Observe(20, bad);
            }

            alarms += test.Verdict == AnytimeVerdict.Regressed ? 1 : 0;
        }

        ((double)alarms / streams).ShouldBeLessThanOrEqualTo(alpha);
    }

    [Fact]
    public void Observe_StepAfterALongHealthyRun_CaughtByTheLateChangeTests()
    {
        var random = new Random(5);
        var delays = new List<long>();
        for (var run = 0; run < 50; run++)
        {
            var test = Start();
            for (var batch = 0; batch < 1_000; batch++)
            {
                test = test.Observe(100, Enumerable.Range(0, 100).Count(_ => random.NextDouble() < P0));
            }

            test.Verdict.ShouldBe(AnytimeVerdict.Continue);
            var changeAt = test.Events;
            while (test.Verdict == AnytimeVerdict.Continue && test.Events < changeAt + 5_000)
            {
                test = test.Observe(random.NextDouble() < 10 * P0);
            }

            test.Deciding.Restart.ShouldBeGreaterThan(0);
            delays.Add(test.Events - changeAt);
        }

        // 100,000 healthy events cost the late-change test about 8 nats; one minute at 10 requests/s is 600 requests.
        delays.Average().ShouldBeLessThan(400);
        delays.Max().ShouldBeLessThan(600);
    }

    [Fact]
    public void Observe_ABatchWithinARestartInterval_IsTheSameEvidenceAsItsEvents()
    {
        var oneByOne = Start();
        for (var i = 0; i < 90; i++)
        {
            oneByOne = oneByOne.Observe(i % 30 == 0);
        }

        var batch = Start().Observe(40, 2).Observe(50, 1);

        (batch.Events, batch.BadEvents).ShouldBe((90, 3));
        batch.FromDeploy.LogEValue.ShouldBe(oneByOne.FromDeploy.LogEValue, tolerance: 1e-9);
        batch.ConfiguredLogLikelihoodRatio.ShouldBe(oneByOne.ConfiguredLogLikelihoodRatio, tolerance: 1e-9);
        batch.ClearedAtEvent.ShouldBe(oneByOne.ClearedAtEvent);
        (batch.LateChange, oneByOne.LateChange).ShouldBe((null, null));
    }

    [Fact]
    public void Observe_BatchesEndingOnRestartBoundaries_RestartLikeEventByEvent()
    {
        var oneByOne = Start();
        var batched = Start();
        for (var block = 0; block < 5; block++)
        {
            for (var i = 0; i < 100; i++)
            {
                oneByOne = oneByOne.Observe(i == 0);
            }

            batched = batched.Observe(100, 1);
        }

        batched.LateChange.ShouldNotBeNull();
        oneByOne.LateChange.ShouldNotBeNull();
        (batched.LateChange.Restart, batched.LateChange.FirstEvent, batched.LateChange.Events, batched.LateChange.BadEvents)
            .ShouldBe((oneByOne.LateChange.Restart, oneByOne.LateChange.FirstEvent, oneByOne.LateChange.Events, oneByOne.LateChange.BadEvents));
        batched.LateChange.Restart.ShouldBe(5);
    }

    [Fact]
    public void Observe_AfterTheAlarm_ChangesNothing()
    {
        var regressed = Start().Observe(50, 20);
        regressed.Verdict.ShouldBe(AnytimeVerdict.Regressed);

        regressed.Observe(1_000, 0).ShouldBeSameAs(regressed);
    }

    [Theory]
    [InlineData(0, 10, Alpha, Beta)]
    [InlineData(1, 10, Alpha, Beta)]
    [InlineData(P0, 1, Alpha, Beta)]
    [InlineData(P0, double.PositiveInfinity, Alpha, Beta)]
    [InlineData(P0, 10, 0, Beta)]
    [InlineData(P0, 10, Alpha, 1)]
    [InlineData(double.NaN, 10, Alpha, Beta)]
    public void Start_OutOfRangeArgument_Throws(double p0, double factor, double alpha, double beta)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => AnytimeRegressionTest.Start(p0, factor, alpha, beta));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(5, 6)]
    [InlineData(5, -1)]
    public void Observe_ImpossibleCounts_Throws(long events, long bad)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Start().Observe(events, bad));
    }

    [Fact]
    public void Start_ADesignWithoutWeights_Throws()
    {
        var design = AnytimeTestDesign.Default with { Weights = [] };

        Should.Throw<ArgumentException>(() => AnytimeRegressionTest.Start(P0, 10, Alpha, Beta, design));
    }

    private static AnytimeRegressionTest Start() => AnytimeRegressionTest.Start(P0, 10, Alpha, Beta);
}
