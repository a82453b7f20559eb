using Rewind.Core.Detectors;

namespace Rewind.Bench.Detection;

/// <summary>
/// One stream of a <see cref="StepCell"/>: Rewind's test, the old single-alternative SPRT and the SPRT built for
/// exactly the step (the oracle's own test, which knows the step) are fed request by request; once all have decided, the peers get per-second binomial counts (the same law) up to the horizon.
/// </summary>
internal static class StepSimulation
{
    /// <summary>Below this the old SPRT can still alarm with probability at most e^(-25 - 6.9): the run is over for it.</summary>
    private const double GiveUp = -25;

    /// <summary>Delays in seconds since the deploy: Rewind, the old SPRT, the SPRT built for exactly this step, then <see cref="Peers.Names"/>; null when not within the horizon.</summary>
    public static double?[] Run(StepCell cell, Random random, int horizonSeconds)
    {
        var rewind = AnytimeRegressionTest.Start(cell.Baseline, StepCell.ConfiguredFactor, StepCell.Alpha, StepCell.Beta);
        var old = SequentialRegressionTest.Start(cell.Baseline, Math.Min(0.5, StepCell.ConfiguredFactor * cell.Baseline), StepCell.Alpha, StepCell.Beta);
        var peers = Peers.For(cell.Baseline, cell.Rps);
        var exact = SequentialRegressionTest.Start(cell.Baseline, cell.Rate, StepCell.Alpha, StepCell.Beta);
        var delays = new double?[3 + peers.Length];
        var rewindLive = true;
        var oldLive = true;
        var exactLive = true;
        for (var second = 0; second < horizonSeconds; second++)
        {
            var bad = 0;
            if (rewindLive || oldLive || exactLive)
            {
                for (var i = 0; i < cell.Rps; i++)
                {
                    var isBad = random.NextDouble() < cell.Rate;
                    bad += isBad ? 1 : 0;
                    if (rewindLive && (rewind = rewind.Observe(isBad)).Verdict == AnytimeVerdict.Regressed)
                    {
                        (delays[0], rewindLive) = ((double)rewind.Events / cell.Rps, false);
                    }

                    if (oldLive && (old = old.Observe(isBad)).Verdict == SequentialVerdict.Regressed)
                    {
                        (delays[1], oldLive) = ((double)old.Events / cell.Rps, false);
                    }

                    oldLive &= old.LogLikelihoodRatio > GiveUp;
                    if (exactLive && (exact = exact.Observe(isBad)).Verdict == SequentialVerdict.Regressed)
                    {
                        (delays[2], exactLive) = ((double)exact.Events / cell.Rps, false);
                    }
                }
            }
            else
            {
                bad = Binomial.Sample(random, cell.Rps, cell.Rate);
            }

            var peersDone = true;
            for (var d = 0; d < peers.Length; d++)
            {
                delays[3 + d] ??= peers[d].Observe(second, cell.Rps, bad) ? second + 1 : null;
                peersDone &= delays[3 + d] is not null;
            }

            if (!rewindLive && !oldLive && !exactLive && peersDone)
            {
                break;
            }
        }

        return delays;
    }
}
