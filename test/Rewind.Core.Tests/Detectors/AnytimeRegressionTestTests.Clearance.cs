using Rewind.Core.Detectors;

namespace Rewind.Core.Tests.Detectors;

public sealed partial class AnytimeRegressionTestTests
{
    [Fact]
    public void IsCleared_HealthyStreams_ClearedNearTheEstimate()
    {
        var random = new Random(3);
        var estimate = Start().RequestsToClear;
        var cleared = new List<long>();
        var alarms = 0;
        for (var run = 0; run < 200; run++)
        {
            var test = Start();
            while (!test.IsCleared && test.Events < 10 * estimate && test.Verdict == AnytimeVerdict.Continue)
            {
                test = test.Observe(random.NextDouble() < P0);
            }

            if (test.Verdict == AnytimeVerdict.Regressed)
            {
                alarms++; // a false alarm before clearance: allowed at rate α (seed 3 has one, at 10 bad in 200)
                continue;
            }

            test.IsCleared.ShouldBeTrue();
            test.RequestsToClear.ShouldBe(test.ClearedAtEvent!.Value);
            cleared.Add(test.Events);
        }

        alarms.ShouldBeLessThanOrEqualTo(1);
        cleared.Average().ShouldBe(estimate, tolerance: 0.3 * estimate);
    }

    [Fact]
    public void IsCleared_StreamsAtTheConfiguredAlternative_ClearedAtMostAtTheMissRate()
    {
        // Wald's lower boundary: a release really at p1 is cleared with probability at most about β (a run of good
        // luck before its bad events show), never more.
        var random = new Random(4);
        const int runs = 4_000;
        var cleared = 0;
        for (var run = 0; run < runs; run++)
        {
            var test = Start();
            while (test.Verdict == AnytimeVerdict.Continue)
            {
                test = test.Observe(random.NextDouble() < 10 * P0);
            }

            cleared += test.IsCleared ? 1 : 0;
        }

        ((double)cleared / runs).ShouldBeLessThanOrEqualTo(Beta);
    }

    [Fact]
    public void RequestsToClear_AtTheDeploy_IsWaldsLowerBoundaryOverTheDriftAtTheBaseline()
    {
        var test = Start();
        var expected = Math.Log((1 - Alpha) / Beta) / SequentialRegressionTest.KullbackLeibler(P0, 10 * P0);

        test.RequestsToClear.ShouldBe((long)Math.Ceiling(expected));
        test.ClearanceBound.ShouldBe(Math.Log(Beta / (1 - Alpha)));
    }

    [Fact]
    public void RequestsToClear_AfterBadEvents_Grows()
    {
        var before = Start().Observe(20, 0);

        before.Observe(1, 1).RequestsToClear.ShouldBeGreaterThan(before.RequestsToClear + 1);
    }
}
