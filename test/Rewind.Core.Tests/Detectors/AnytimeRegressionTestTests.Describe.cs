using Rewind.Core.Detectors;

namespace Rewind.Core.Tests.Detectors;

public sealed partial class AnytimeRegressionTestTests
{
    [Fact]
    public void Describe_Regressed_SaysWhatWasMeasuredAndHowSure()
    {
        var test = AnytimeRegressionTest.Start(0.005, 10, Alpha, Beta).Observe(230, 12);

        test.Verdict.ShouldBe(AnytimeVerdict.Regressed);
        test.Describe().ShouldBe("12 bad in 230 requests (5.2 %) against the last known good's 0.5 %: about 10× the baseline; e-value 1.6e7 ≥ 639 (false-alarm rate α = 0.001)");
    }

    [Fact]
    public void Describe_Watching_GivesTheAlarmLevel()
    {
        var test = AnytimeRegressionTest.Start(0.005, 10, Alpha, Beta).Observe(40, 0);

        test.Describe().ShouldBe("0 bad in 40 requests (0.0 %) against the last known good's 0.5 %: not above the baseline; e-value 0.36 (alarm at 639) (false-alarm rate α = 0.001)");
    }

    [Fact]
    public void Describe_LateChange_NamesWhereTheTestStarted()
    {
        var test = AnytimeRegressionTest.Start(0.005, 10, Alpha, Beta).Observe(10_000, 50).Observe(100, 20);

        test.Verdict.ShouldBe(AnytimeVerdict.Regressed);
        test.Describe().ShouldBe("since request 10,001 (late-change test 1): 20 bad in 100 requests (20.0 %) against the last known good's 0.5 %: about 40× the baseline; e-value 6.5e21 ≥ 34,544 (false-alarm rate α = 0.001)");
    }

    [Fact]
    public void DescribeClearance_Baking_CountsTowardTheEstimate()
    {
        var test = AnytimeRegressionTest.Start(0.005, 10, Alpha, Beta).Observe(30, 0);

        test.DescribeClearance().ShouldBe("baking: 30 of about 124 requests needed to rule out a 10× regression (β = 0.01)");
    }

    [Fact]
    public void DescribeClearance_Cleared_SaysAfterHowManyRequests()
    {
        var test = AnytimeRegressionTest.Start(0.005, 10, Alpha, Beta).Observe(500, 2);

        test.DescribeClearance().ShouldBe("cleared: a 10× regression is ruled out at β = 0.01 after 500 requests");
    }
}
