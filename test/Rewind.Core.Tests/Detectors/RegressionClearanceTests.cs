using Rewind.Core.Configuration;
using Rewind.Core.Detectors;

namespace Rewind.Core.Tests.Detectors;

public sealed class RegressionClearanceTests
{
    private static readonly RegressionConfig Regression = new() { Scrape = "app", Factor = 10, FalseAlarm = 0.001, Miss = 0.01 };

    [Fact]
    public void Of_NoTrafficYet_NeedsAboutWaldsExpectedCountAtTheBaseline()
    {
        var clearance = RegressionClearance.Of(0.005, Regression, 0, 0);

        clearance.Cleared.ShouldBeFalse();
        clearance.RequestsNeeded.ShouldBeInRange(130, 136); // ln(0.999/0.01) / KL(0.5 % ‖ 5 %) ≈ 133.4
        clearance.Describe().ShouldBe("0 of about 134 requests needed to rule out a 10× regression (miss rate β = 0.01); 0 bad so far (0 %) against a baseline of 0.5 %");
    }

    [Fact]
    public void Of_EnoughCleanTraffic_RulesTheRegressionOut()
    {
        var clearance = RegressionClearance.Of(0.005, Regression, 400, 2);

        clearance.Cleared.ShouldBeTrue();
        clearance.Describe().ShouldBe("a 10× regression is ruled out (miss rate β = 0.01) by 400 requests, 2 bad");
    }

    [Fact]
    public void Of_ReleaseAtFivePercentOnAQuietService_NeverClearsWithItsFewRequests()
    {
        // 0.5 requests/s for 48 s: 24 requests, one or two of them errors at 5 %: far from evidence of health
        RegressionClearance.Of(0.005, Regression, 24, 1).Cleared.ShouldBeFalse();
        RegressionClearance.Of(0.005, Regression, 24, 0).Cleared.ShouldBeFalse();
    }

    [Fact]
    public void Of_ReleaseAtTheRegressionsRate_DoesNotClearHoweverLongItServes()
    {
        var clearance = RegressionClearance.Of(0.005, Regression, 100_000, 5_000);

        clearance.Cleared.ShouldBeFalse();
        clearance.RequestsNeeded.ShouldBeGreaterThan(100_000);
    }

    [Fact]
    public void Of_ThreeTimesTheBaseline_DoesNotClearAgainstThreeTimes()
    {
        var threefold = new RegressionConfig { Scrape = "app", Factor = 3, FalseAlarm = 0.001, Miss = 0.01 };

        RegressionClearance.Of(0.01, threefold, 20_000, 600).Cleared.ShouldBeFalse(); // 3 % after a 1 % baseline
        RegressionClearance.Of(0.01, threefold, 20_000, 200).Cleared.ShouldBeTrue();
    }
}
