using Rewind.Core.Detectors;

namespace Rewind.Core.Tests.Detectors;

public sealed class RateBoundsTests
{
    [Fact]
    public void Bounds_OneErrorIn862_StillAllowAOnePercentRate()
    {
        // the baseline that made a healthy 1 % successor look like an 8× regression: 0.116 % measured
        RateBounds.Upper(1, 862).ShouldBeInRange(0.008, 0.009);
        RateBounds.Lower(1, 862).ShouldBeLessThan(0.001);
    }

    [Fact]
    public void Bounds_NarrowWithMoreRequests_AndEncloseTheEstimate()
    {
        var few = (Lower: RateBounds.Lower(10, 1_000), Upper: RateBounds.Upper(10, 1_000));
        var many = (Lower: RateBounds.Lower(1_000, 100_000), Upper: RateBounds.Upper(1_000, 100_000));

        few.Lower.ShouldBeLessThan(0.01);
        few.Upper.ShouldBeGreaterThan(0.01);
        (many.Upper - many.Lower).ShouldBeLessThan((few.Upper - few.Lower) / 5);
        many.Upper.ShouldBeInRange(0.0102, 0.0110);
    }

    [Fact]
    public void Bounds_NoEvents_SayNothing()
    {
        (RateBounds.Lower(0, 0), RateBounds.Upper(0, 0)).ShouldBe((0.0, 1.0));
    }

    [Fact]
    public void Upper_CoversTheTrueRateInAtLeast98PercentOfSeededSamples()
    {
        var random = new Random(7);
        var covered = 0;
        for (var trial = 0; trial < 2_000; trial++)
        {
            var bad = Enumerable.Range(0, 900).Count(_ => random.NextDouble() < 0.01);
            covered += RateBounds.Upper(bad, 900) >= 0.01 ? 1 : 0;
        }

        covered.ShouldBeGreaterThanOrEqualTo(1_960);
    }
}
