namespace Rewind.Bench.Detection;

/// <summary>A peer detector fed one second of traffic at a time; returns true once it has raised its alarm.</summary>
internal interface IDetector
{
    /// <summary>Feeds second <paramref name="second"/> (since the deploy) with its request and bad-event counts.</summary>
    bool Observe(int second, int requests, int bad);
}

/// <summary>The peers every stream is also fed: the one-minute threshold, Flagger's defaults and the SRE burn-rate page.</summary>
internal static class Peers
{
    public static readonly string[] Names = ["threshold 2× p0, 1m, 1 failed", "Flagger: threshold 2× p0, 1m, 5 failed", "SRE burn-rate page"];

    /// <summary>The threshold is twice the baseline (1 % for 0.5 %); the burn-rate page's error budget is the baseline.</summary>
    public static IDetector[] For(double baseline, int rps) =>
    [
        new ThresholdDetector(60, 2 * baseline, 1),
        new ThresholdDetector(60, 2 * baseline, 5),
        new BurnRateDetector(rps, baseline),
    ];
}
