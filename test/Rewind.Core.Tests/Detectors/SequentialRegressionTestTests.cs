using Rewind.Core.Detectors;

namespace Rewind.Core.Tests.Detectors;

public sealed class SequentialRegressionTestTests
{
    private const double P0 = 0.005;
    private const double P1 = 0.05;
    private const double Alpha = 0.001;
    private const double Beta = 0.01;

    [Fact]
    public void MinimumExpectedSampleSize_HalfPercentToFivePercent_IsAbout95()
    {
        SequentialRegressionTest.MinimumExpectedSampleSize(P0, P1, Alpha, Beta).ShouldBe(95.3, tolerance: 0.1);
    }

    [Fact]
    public void Observe_HealthyStreams_FalseAlarmRateAtMostAlpha()
    {
        var random = new Random(20261122);
        const int runs = 20_000;
        var alarms = 0;
        for (var run = 0; run < runs; run++)
        {
            var test = SequentialRegressionTest.Start(P0, P1, Alpha, Beta);
            // Stop once the ratio is far below the threshold: the chance of climbing back from -25 to ln(1/α) is at
            // most e^(-25 - 6.9), by the same martingale argument that bounds the false alarms.
            for (var i = 0; i < 50_000 && test.Verdict != SequentialVerdict.Regressed && test.LogLikelihoodRatio > -25; i++)
            {
                test = test.Observe(random.NextDouble() < P0);
            }

            alarms += test.Verdict == SequentialVerdict.Regressed ? 1 : 0;
        }

        ((double)alarms / runs).ShouldBeLessThanOrEqualTo(Alpha);
    }

    [Fact]
    public void Observe_StepToFivePercent_MeanDelayWithinTwentyPercentOfTheMinimum()
    {
        var random = new Random(7);
        const int runs = 4_000;
        long total = 0;
        for (var run = 0; run < runs; run++)
        {
            var test = SequentialRegressionTest.Start(P0, P1, Alpha, Beta);
            while (test.Verdict != SequentialVerdict.Regressed)
            {
                test = test.Observe(random.NextDouble() < P1);
            }

            total += test.Events;
        }

        var mean = (double)total / runs;
        (mean / SequentialRegressionTest.MinimumExpectedSampleSize(P0, P1, Alpha, Beta)).ShouldBeLessThanOrEqualTo(1.2);
    }

    [Fact]
    public void Observe_ABatch_IsTheSameEvidenceAsItsEvents()
    {
        var oneByOne = SequentialRegressionTest.Start(P0, P1, Alpha, Beta);
        for (var i = 0; i < 50; i++)
        {
            oneByOne = oneByOne.Observe(i % 25 == 0);
        }

        var batch = SequentialRegressionTest.Start(P0, P1, Alpha, Beta).Observe(50, 2);

        batch.LogLikelihoodRatio.ShouldBe(oneByOne.LogLikelihoodRatio, tolerance: 1e-9);
        (batch.Events, batch.BadEvents).ShouldBe((50, 2));
    }

    [Fact]
    public void Observe_ClearedRelease_StillRaisesTheAlarmWhenItTurnsBad()
    {
        var test = SequentialRegressionTest.Start(P0, P1, Alpha, Beta).Observe(200, 0);
        test.Verdict.ShouldBe(SequentialVerdict.Cleared);

        test = test.Observe(30, 15);

        test.Verdict.ShouldBe(SequentialVerdict.Regressed);
        test.Observe(1_000, 0).Verdict.ShouldBe(SequentialVerdict.Regressed, "an alarm is final");
    }

    [Fact]
    public void Describe_NamesCountsRatesAndThresholds()
    {
        var test = SequentialRegressionTest.Start(P0, P1, Alpha, Beta).Observe(100, 6);

        test.Describe().ShouldBe("sequential test: 6 bad of 100 events (6 %) against baseline 0.5 % and alternative 5 %; log-likelihood ratio 9.47 (alarm at 6.91 = ln(1/α), α = 0.001; cleared at -4.60, β = 0.01)");
    }

    [Fact]
    public void Observe_WithFloor_CatchesARegressionLongAfterTheDeploySooner()
    {
        var pure = SequentialRegressionTest.Start(P0, P1, Alpha, Beta).Observe(100_000, 500);
        var floored = SequentialRegressionTest.Start(P0, P1, Alpha, Beta, floor: -10).Observe(100_000, 500);
        floored.LogLikelihoodRatio.ShouldBe(-10);

        static long EventsToAlarm(SequentialRegressionTest test)
        {
            var start = test.Events;
            while (test.Verdict != SequentialVerdict.Regressed)
            {
                test = test.Observe(20, 1); // a steady 5 % from now on
            }

            return test.Events - start;
        }

        EventsToAlarm(floored).ShouldBeLessThan(400);
        EventsToAlarm(pure).ShouldBeGreaterThan(10 * EventsToAlarm(floored));
    }

    [Theory]
    [InlineData(0.05, 0.005, 0.001, 0.01)]
    [InlineData(0, 0.05, 0.001, 0.01)]
    [InlineData(0.005, 0.05, 0, 0.01)]
    [InlineData(0.005, 0.05, 0.001, 1)]
    public void Start_ImpossibleParameters_Throw(double p0, double p1, double alpha, double beta) =>
        Should.Throw<ArgumentOutOfRangeException>(() => SequentialRegressionTest.Start(p0, p1, alpha, beta));
}
