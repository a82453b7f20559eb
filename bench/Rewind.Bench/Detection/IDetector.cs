namespace Rewind.Bench.Detection;

/// <summary>A peer detector fed one second of traffic at a time; returns true once it has raised its alarm.</summary>
internal interface IDetector
{
    /// <summary>Feeds second <paramref name="second"/> (since the deploy) with its request and bad-event counts.</summary>
    bool Observe(int second, int requests, int bad);
}

/// <summary>
/// The peers every stream is also fed: the one-minute threshold at twice the baseline, Flagger's defaults, the SRE
/// burn-rate page, and the one-minute threshold set as low as a false-alarm rate of α over the A/A horizon allows.
/// </summary>
internal static class Peers
{
    public static readonly string[] Names = ["threshold 2× p0, 1m, 1 failed", "Flagger: threshold 2× p0, 1m, 5 failed", "SRE burn-rate page", "α-matched threshold 1m"];

    /// <summary>Hours of healthy traffic over which the α-matched threshold false-alarms with probability at most α.</summary>
    public const int MatchedHours = 3;

    /// <summary>The threshold is twice the baseline (1 % for 0.5 %); the burn-rate page's error budget is the baseline.</summary>
    public static IDetector[] For(double baseline, int rps) =>
    [
        new ThresholdDetector(60, 2 * baseline, 1),
        new ThresholdDetector(60, 2 * baseline, 5),
        new BurnRateDetector(rps, baseline),
        new ThresholdDetector(60, (MatchedCount(baseline, rps) - 0.5) / (60.0 * rps), 1),
    ];

    /// <summary>
    /// The least count k of bad events in a minute such that a release at its baseline reaches it in any of the
    /// <see cref="MatchedHours"/> × 60 minutes with probability at most α: the one-minute threshold with Rewind's
    /// false-alarm rate.
    /// </summary>
    public static int MatchedCount(double baseline, int rps)
    {
        var k = 1;
        while (1 - Math.Pow(1 - Binomial.UpperTail(60 * rps, baseline, k), MatchedHours * 60) > StepCell.Alpha)
        {
            k++;
        }

        return k;
    }
}
