using Rewind.Core.Detectors;

namespace Rewind.Bench.Detection;

/// <summary>
/// A/A streams: a release exactly as good as its baseline, watched for hours. Everyone is fed per-second binomial
/// counts (a scrape delta per second): request-by-request feeding would cost 10^9 updates per run of streams and changes
/// nothing in the guarantee, which holds for any batching.
/// </summary>
internal static class HealthyStreams
{
    /// <summary>Whether each detector false-alarmed within the horizon: Rewind, the old SPRT, the exact SPRT (never run here: no step), then <see cref="Peers.Names"/>.</summary>
    public static bool[] Run(double baseline, int rps, Random random, int horizonSeconds)
    {
        var rewind = AnytimeRegressionTest.Start(baseline, StepCell.ConfiguredFactor, StepCell.Alpha, StepCell.Beta);
        var old = SequentialRegressionTest.Start(baseline, Math.Min(0.5, StepCell.ConfiguredFactor * baseline), StepCell.Alpha, StepCell.Beta);
        var peers = Peers.For(baseline, rps);
        var alarms = new bool[3 + peers.Length];
        for (var second = 0; second < horizonSeconds; second++)
        {
            var bad = Binomial.Sample(random, rps, baseline);
            rewind = rewind.Observe(rps, bad);
            if (old.LogLikelihoodRatio > -25)
            {
                old = old.Observe(rps, bad);
            }

            for (var d = 0; d < peers.Length; d++)
            {
                alarms[3 + d] |= peers[d].Observe(second, rps, bad);
            }
        }

        alarms[0] = rewind.Verdict == AnytimeVerdict.Regressed;
        alarms[1] = old.Verdict == SequentialVerdict.Regressed;
        return alarms;
    }
}
