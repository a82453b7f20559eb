namespace Rewind.Core.Detectors;

/// <summary>What a sequential test concludes after the evidence so far.</summary>
public enum SequentialVerdict
{
    /// <summary>Not enough evidence either way yet.</summary>
    Continue,

    /// <summary>The bad-event rate is above the baseline: the likelihood ratio crossed <c>1/α</c>.</summary>
    Regressed,

    /// <summary>
    /// Evidence that the rate is not as bad as the alternative (miss rate at most β). The test goes on watching:
    /// this verdict is evidence for bake, never a reason to stop looking.
    /// </summary>
    Cleared,
}

/// <summary>
/// Wald's sequential probability ratio test on a stream of good and bad events (errors, or requests slower than an
/// objective), comparing the new release against its baseline: H0, the bad-event rate is the baseline's p0; H1, it is
/// p1. The log-likelihood ratio is never reset, so by Ville's inequality the chance that a release as good as its
/// baseline ever raises an alarm, however long it is watched, is at most α. Under H1 the expected number of events to
/// the alarm is close to Wald's minimum, <see cref="MinimumExpectedSampleSize"/>. Immutable: every update returns a new
/// state.
/// <para>
/// Without a floor the ratio of a long healthy release sinks far below zero, so a regression that starts hours after
/// the deploy takes long to show. A <see cref="Floor"/> (e.g. -10) keeps the test ready for late changes (a slow burn,
/// flapping) at the price of the horizon-free guarantee: false alarms then grow with how long the release is watched,
/// and are measured, not bounded (see docs/benchmarks.md).
/// </para>
/// </summary>
public sealed record SequentialRegressionTest
{
    private readonly double _badWeight;
    private readonly double _goodWeight;

    private SequentialRegressionTest(double p0, double p1, double alpha, double beta, double floor)
    {
        Floor = floor;
        BaselineRate = p0;
        AlternativeRate = p1;
        FalseAlarmRate = alpha;
        MissRate = beta;
        _badWeight = Math.Log(p1 / p0);
        _goodWeight = Math.Log((1 - p1) / (1 - p0));
        UpperBound = Math.Log(1 / alpha);
        LowerBound = Math.Log(beta / (1 - alpha));
    }

    public double BaselineRate { get; }

    public double AlternativeRate { get; }

    public double FalseAlarmRate { get; }

    public double MissRate { get; }

    /// <summary>ln(1/α): the alarm threshold of the log-likelihood ratio.</summary>
    public double UpperBound { get; }

    /// <summary>ln(β/(1-α)): below it the release is cleared against the alternative.</summary>
    public double LowerBound { get; }

    /// <summary>The ratio never goes below this; negative infinity (the default) keeps the guarantee for any horizon.</summary>
    public double Floor { get; }

    /// <summary>The log-likelihood ratio of H1 against H0 over every event seen.</summary>
    public double LogLikelihoodRatio { get; private init; }

    public long Events { get; private init; }

    public long BadEvents { get; private init; }

    public SequentialVerdict Verdict { get; private init; }

    /// <summary>Starts a test. Requires 0 &lt; p0 &lt; p1 &lt; 1 and 0 &lt; α, β &lt; 1.</summary>
    public static SequentialRegressionTest Start(double baselineRate, double alternativeRate, double falseAlarmRate, double missRate, double floor = double.NegativeInfinity)
    {
        if (!(baselineRate > 0 && baselineRate < alternativeRate && alternativeRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alternativeRate), $"need 0 < p0 < p1 < 1, got p0={baselineRate}, p1={alternativeRate}");
        }

        if (!(falseAlarmRate is > 0 and < 1 && missRate is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falseAlarmRate), "false-alarm and miss rates must lie strictly between 0 and 1");
        }

        if (floor >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(floor), "the floor must be below zero");
        }

        return new SequentialRegressionTest(baselineRate, alternativeRate, falseAlarmRate, missRate, floor);
    }

    /// <summary>Adds a batch of events, e.g. the increase of a request counter and of an error counter since the last scrape.</summary>
    public SequentialRegressionTest Observe(long events, long badEvents)
    {
        if (events < 0 || badEvents < 0 || badEvents > events)
        {
            throw new ArgumentOutOfRangeException(nameof(badEvents), $"need 0 <= bad ({badEvents}) <= events ({events})");
        }

        if (Verdict == SequentialVerdict.Regressed)
        {
            return this; // an alarm is final for this test
        }

        var llr = Math.Max(Floor, LogLikelihoodRatio + (badEvents * _badWeight) + ((events - badEvents) * _goodWeight));
        var verdict = llr >= UpperBound ? SequentialVerdict.Regressed
            : Verdict == SequentialVerdict.Cleared || llr <= LowerBound ? SequentialVerdict.Cleared
            : SequentialVerdict.Continue;
        return this with { LogLikelihoodRatio = llr, Events = Events + events, BadEvents = BadEvents + badEvents, Verdict = verdict };
    }

    /// <summary>One event.</summary>
    public SequentialRegressionTest Observe(bool bad) => Observe(1, bad ? 1 : 0);

    /// <summary>
    /// Wald's lower bound on the expected number of events any sequential test with these error rates needs to decide
    /// for H1 when H1 is true: ((1-β)·ln((1-β)/α) + β·ln(β/(1-α))) / KL(p1 ‖ p0). About 95 for 0.5 % → 5 %, α = 0.001,
    /// β = 0.01.
    /// </summary>
    public static double MinimumExpectedSampleSize(double baselineRate, double alternativeRate, double falseAlarmRate, double missRate)
    {
        var numerator = ((1 - missRate) * Math.Log((1 - missRate) / falseAlarmRate)) + (missRate * Math.Log(missRate / (1 - falseAlarmRate)));
        return numerator / KullbackLeibler(alternativeRate, baselineRate);
    }

    /// <summary>KL(Bernoulli(p) ‖ Bernoulli(q)) in nats: the evidence one event carries on average when the rate is p.</summary>
    public static double KullbackLeibler(double p, double q) =>
        (p * Math.Log(p / q)) + ((1 - p) * Math.Log((1 - p) / (1 - q)));

    /// <summary>The evidence in the words an operator reads on the timeline.</summary>
    public string Describe() =>
        FormattableString.Invariant($"sequential test: {BadEvents} bad of {Events} events ({(Events == 0 ? 0 : 100.0 * BadEvents / Events):0.##} %) against baseline {100 * BaselineRate:0.###} % and alternative {100 * AlternativeRate:0.###} %; log-likelihood ratio {LogLikelihoodRatio:0.00} (alarm at {UpperBound:0.00} = ln(1/α), α = {FalseAlarmRate}; cleared at {LowerBound:0.00}, β = {MissRate})");
}
