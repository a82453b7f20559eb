using Rewind.Core.Detectors;

namespace Rewind.Core.Tests.Detectors;

/// <summary>The alarm level computed for a baseline: lower than Ville's 1/α, and still reached at most at rate α.</summary>
public sealed class AlarmLevelsTests
{
    [Theory]
    [InlineData(0.005)]
    [InlineData(0.01)]
    [InlineData(0.0001)]
    [InlineData(0.2)]
    public void LogLevel_DefaultDesign_IsAboutHalfANatBelowVilles(double p0)
    {
        var levels = LevelsFor(p0);
        var logAlpha = Math.Log(0.0009);

        var level = levels.LogLevel(logAlpha);

        (-logAlpha - level).ShouldBeInRange(0.3, 0.8);
        levels.Bound((long)Math.Round(level / AlarmLevels.Step)).ShouldBeLessThanOrEqualTo(0.0009);
    }

    [Fact]
    public void LogLevel_ReachedByHealthyStreams_AtMostAtRateAlpha_AndNotFarBelow()
    {
        // A large α makes alarms countable: 20,000 streams at the baseline, request by request, watched until the
        // e-value has fallen so far (e^-12 of the level) that Ville's inequality leaves nothing worth simulating.
        const double p0 = 0.05;
        const double alpha = 0.02;
        const int streams = 20_000;
        var grid = new AlternativeGrid(p0, AnytimeTestDesign.Default, 10);
        var level = AlarmLevels.For(grid, AnytimeTestDesign.Default).LogLevel(Math.Log(alpha));
        var random = new Random(20261206);
        var alarms = 0;
        for (var stream = 0; stream < streams; stream++)
        {
            long events = 0, bad = 0;
            double log;
            do
            {
                events++;
                bad += random.NextDouble() < p0 ? 1 : 0;
                log = grid.LogEValue(events, bad);
            }
            while (log < level && log > level - 12);

            alarms += log >= level ? 1 : 0;
        }

        var rate = (double)alarms / streams;
        var sd = Math.Sqrt(alpha * (1 - alpha) / streams);
        rate.ShouldBeLessThanOrEqualTo(alpha + (3 * sd));
        rate.ShouldBeGreaterThan(0.7 * alpha); // Ville's level gives about 0.6 α: the computed one spends what it may
        level.ShouldBeLessThan(-Math.Log(alpha) - 0.3);
    }

    [Fact]
    public void LogLevel_SameBaselineAndDesign_IsComputedOnceAndShared()
    {
        var first = LevelsFor(0.007);
        var second = LevelsFor(0.007);

        second.ShouldBeSameAs(first);
        second.LogLevel(Math.Log(0.0009)).ShouldBe(first.LogLevel(Math.Log(0.0009)));
    }

    private static AlarmLevels LevelsFor(double p0) => AlarmLevels.For(new AlternativeGrid(p0, AnytimeTestDesign.Default, 10), AnytimeTestDesign.Default);
}
