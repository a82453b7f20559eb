namespace Rewind.Core.Detectors;

/// <summary>
/// The fixed choices inside an <see cref="AnytimeRegressionTest"/>: the grid of alternatives and its weights, how α is
/// shared between the test from the deploy and the late-change tests, and when a late-change test restarts. The
/// defaults were chosen by measurement (<c>./bench/run detection</c>, docs/benchmarks.md); other designs are for
/// experiments, and every design keeps the false-alarm guarantee.
/// </summary>
public sealed record AnytimeTestDesign
{
    /// <summary>
    /// The default: factors 1.5, 2, 3, 5, 10 and 20 weighted 0.85 : 0.7 : 0.8 : 1 : 1.5 : 1.5, plus 1.5 more on the
    /// policy's configured factor (so 3 on 10×, the default factor): the regression the operator named gets the most
    /// weight, and 1.5× a little more than its neighbours because it needs the most evidence and is the worst step
    /// otherwise (chosen with <c>./bench/run detection</c>); 90 % of α for the test from the deploy; a late-change test
    /// may restart every 1/p0 events (one bad event expected at the baseline), restart k spending
    /// α_late · k^-1.2 / ζ(1.2).
    /// </summary>
    public static AnytimeTestDesign Default { get; } = new()
    {
        Factors = [1.5, 2, 3, 5, 10, 20],
        Weights = [0.85, 0.7, 0.8, 1, 1.5, 1.5],
        ConfiguredFactorWeight = 1.5,
        FromDeployShare = 0.9,
        RestartEveryExpectedBadEvents = 1,
        SpendingExponent = 1.2,
    };

    /// <summary>The alternatives p0 × factor (each above 1, capped halfway between p0 and 1) the e-value mixes.</summary>
    public required IReadOnlyList<double> Factors { get; init; }

    /// <summary>The mixture's weights, one per factor, positive; they are normalised to sum to 1.</summary>
    public required IReadOnlyList<double> Weights { get; init; }

    /// <summary>
    /// Weight added for the policy's configured factor: to its grid point's, or as an extra alternative when it is not on
    /// the grid. 0 for none. Applied before the weights are normalised.
    /// </summary>
    public double ConfiguredFactorWeight { get; init; }

    /// <summary>The part of α spent by the test from the deploy, in (0, 1]; the rest goes to the late-change tests.</summary>
    public required double FromDeployShare { get; init; }

    /// <summary>
    /// The restart boundary of the late-change tests, in events, as a number of bad events expected at the baseline:
    /// a boundary every ⌈value / p0⌉ events.
    /// </summary>
    public required double RestartEveryExpectedBadEvents { get; init; }

    /// <summary>s &gt; 1: restart k of the late-change tests gets α_late · k^-s / ζ(s), so all of them together spend α_late.</summary>
    public required double SpendingExponent { get; init; }

    internal void Validate(string parameterName)
    {
        if (Factors.Count == 0 || Factors.Count != Weights.Count || Factors.Any(f => !(f > 1)) || Weights.Any(w => !(w > 0)))
        {
            throw new ArgumentException("the design needs one positive weight per factor, every factor above 1", parameterName);
        }

        if (!(FromDeployShare is > 0 and <= 1) || !(RestartEveryExpectedBadEvents > 0) || !(SpendingExponent > 1) || !(ConfiguredFactorWeight >= 0))
        {
            throw new ArgumentException("the design needs 0 < share <= 1, a positive restart interval and a spending exponent above 1", parameterName);
        }
    }
}
