using Rewind.Core.Detectors;

namespace Rewind.Bench.Detection;

/// <summary>
/// A release healthy for an hour after its deploy, then a change starting at a random moment of the next minute: the
/// factor over the baseline grows linearly from 1 to <see cref="Factor"/> over <see cref="RampSeconds"/> (0: a step).
/// </summary>
internal sealed record LateChange(double Baseline, int Rps, double Factor, int RampSeconds)
{
    public const int HealthySeconds = 3600;

    public static IReadOnlyList<LateChange> All { get; } =
        [.. from rps in new[] { 5, 50 } from change in new[] { (10.0, 0), (10.0, 60), (5.0, 600), (10.0, 600) } select new LateChange(0.005, rps, change.Item1, change.Item2)];

    public string Name => FormattableString.Invariant($"0.5 % after 1 h: {(RampSeconds == 0 ? "step" : $"ramp over {RampSeconds / 60} min")} to ×{Factor} at {Rps}/s");

    private double Rate(double secondsSinceChange) => secondsSinceChange < 0 ? Baseline
        : Baseline * (RampSeconds == 0 ? Factor : 1 + ((Factor - 1) * Math.Min(1, secondsSinceChange / RampSeconds)));

    /// <summary>
    /// Delays in seconds since the change: Rewind, then <see cref="Peers.Names"/> (null: not within 3 h; Rewind's is
    /// NaN when it false-alarmed during the healthy hour). Rewind gets the healthy hour as per-second counts and
    /// request by request from the minute before the change; the peers start at that minute (windows full of healthy
    /// history), so no alarm of theirs from the healthy hour counts.
    /// </summary>
    public double?[] Run(Random random)
    {
        var change = HealthySeconds + (60 * random.NextDouble());
        var first = (int)(change / 60) * 60;
        var rewind = AnytimeRegressionTest.Start(Baseline, StepCell.ConfiguredFactor, StepCell.Alpha, StepCell.Beta);
        for (var second = 0; second < first; second++)
        {
            rewind = rewind.Observe(Rps, Binomial.Sample(random, Rps, Baseline));
        }

        var peers = Peers.For(Baseline, Rps);
        var delays = new double?[1 + peers.Length];
        if (rewind.Verdict == AnytimeVerdict.Regressed)
        {
            delays[0] = double.NaN;
        }

        for (var second = first; second < change + (3 * 3600); second++)
        {
            var bad = 0;
            if (delays[0] is null)
            {
                for (var i = 0; i < Rps; i++)
                {
                    var time = second + ((double)i / Rps);
                    var isBad = random.NextDouble() < Rate(time - change);
                    bad += isBad ? 1 : 0;
                    if (delays[0] is null && (rewind = rewind.Observe(isBad)).Verdict == AnytimeVerdict.Regressed)
                    {
                        delays[0] = time < change ? double.NaN : time - change;
                    }
                }
            }
            else
            {
                bad = Binomial.Sample(random, Rps, Rate(second + 0.5 - change));
            }

            var done = delays[0] is not null;
            for (var d = 0; d < peers.Length; d++)
            {
                delays[1 + d] ??= peers[d].Observe(second - first, Rps, bad) ? second + 1 - change : null;
                done &= delays[1 + d] is not null;
            }

            if (done)
            {
                break;
            }
        }

        return delays;
    }
}
