using System.Globalization;
using Rewind.Core.Configuration;

namespace Rewind.Core.Detectors;

/// <summary>
/// Whether a release's traffic is enough evidence that it does not carry the configured regression: Wald's lower
/// boundary for "the rate is p0" against "it is p0 × factor", on every request the release has served. A release at
/// the regression's rate clears with probability at most β; a release at its baseline clears after about
/// ln((1-α)/β) / KL(p0 ‖ p1) requests (≈ 134 for 0.5 % against 5 %, α = 0.001, β = 0.01). Computed from totals, so
/// the answer never depends on how the requests were batched or on a controller restart.
/// </summary>
public sealed record RegressionClearance(bool Cleared, long Requests, long Bad, long RequestsNeeded, double BaselineRate, double Factor, double MissRate)
{
    public static RegressionClearance Of(double baselineRate, RegressionConfig regression, long requests, long bad)
    {
        ArgumentNullException.ThrowIfNull(regression);
        return Of(baselineRate, regression.Factor, regression.FalseAlarm, regression.Miss, requests, bad);
    }

    public static RegressionClearance Of(double baselineRate, double factor, double falseAlarm, double miss, long requests, long bad)
    {
        var p0 = baselineRate;
        var p1 = Math.Min(0.5, p0 * factor);
        var llr = (bad * Math.Log(p1 / p0)) + ((requests - bad) * Math.Log((1 - p1) / (1 - p0)));
        var lower = Math.Log(miss / (1 - falseAlarm));
        var perRequest = SequentialRegressionTest.KullbackLeibler(p0, p1); // the mean fall of the ratio per request at p0
        var cleared = llr <= lower;
        var needed = cleared ? requests : requests + (long)Math.Ceiling((llr - lower) / perRequest);
        return new RegressionClearance(cleared, requests, bad, needed, p0, p1 / p0, miss);
    }

    /// <summary>In an operator's words: what is ruled out, or how many requests are still needed.</summary>
    public string Describe() => Cleared
        ? F($"a {Factor:0.#}× regression is ruled out (miss rate β = {MissRate}) by {Requests} requests, {Bad} bad")
        : F($"{Requests} of about {RequestsNeeded} requests needed to rule out a {Factor:0.#}× regression (miss rate β = {MissRate}); {Bad} bad so far ({(Requests == 0 ? 0 : 100.0 * Bad / Requests):0.##} %) against a baseline of {100 * BaselineRate:0.###} %");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
