namespace Rewind.Core.Detectors;

public sealed partial record AnytimeRegressionTest
{
    private readonly double _configuredBadWeight;
    private readonly double _configuredGoodWeight;

    /// <summary>p1 = p0 × the configured factor, capped halfway between p0 and 1.</summary>
    public double ConfiguredAlternativeRate { get; }

    /// <summary>ln(β/(1-α)): Wald's lower boundary, where the configured regression is ruled out.</summary>
    public double ClearanceBound { get; }

    /// <summary>The log-likelihood ratio of the configured alternative against the baseline over every event since the deploy.</summary>
    public double ConfiguredLogLikelihoodRatio => ConfiguredLogLikelihoodRatioOf(FromDeploy);

    /// <summary>
    /// Whether the configured regression is ruled out: the log-likelihood ratio of p1 = p0 × factor against p0, from the
    /// deploy, has reached Wald's lower boundary ln(β/(1-α)). This is the lower half of Wald's SPRT for the configured
    /// alternative: a release really at p1 gets here with probability at most about β. Once cleared, a release stays
    /// cleared (the test decides at its first crossing) but is still watched: a later alarm overrides the clearance.
    /// </summary>
    public bool IsCleared => ClearedAtEvent is not null;

    /// <summary>The number of events after which the release was cleared.</summary>
    public long? ClearedAtEvent { get; private init; }

    /// <summary>
    /// An estimate of the events in total needed to clear: once cleared, the events it took; before,
    /// <see cref="Events"/> + (ln-LR − ln(β/(1-α))) / KL(p0 ‖ p1), the events a release at the baseline needs on
    /// average to bring the ratio down to the boundary (each event lowers it by KL(p0 ‖ p1) on average). Grows when bad
    /// events push the ratio up; at the deploy it is the expected sample size of the clearance.
    /// </summary>
    public long RequestsToClear => ClearedAtEvent ?? (Events + (long)Math.Ceiling(
        Math.Max(0, ConfiguredLogLikelihoodRatio - ClearanceBound) / SequentialRegressionTest.KullbackLeibler(BaselineRate, ConfiguredAlternativeRate)));

    private double ConfiguredLogLikelihoodRatioOf(MixtureEvidence evidence) =>
        (evidence.BadEvents * _configuredBadWeight) + ((evidence.Events - evidence.BadEvents) * _configuredGoodWeight);
}
