namespace Rewind.Core.Detectors;

/// <summary>
/// An anytime-valid sequential test of whether a new release's bad-event rate (errors, or requests slower than an
/// objective) is above its last known good's rate p0, by any factor from about 1.5× up, with no threshold to tune.
/// Immutable: every <see cref="Observe(long, long)"/> returns a new state.
/// <para>
/// <b>From the deploy.</b> The e-value is a mixture of likelihood ratios over a grid of alternatives p_i = p0 × f_i
/// (<see cref="AnytimeTestDesign.Default"/>: 1.5× to 20×), Σ w_i LR_i with Σ w_i = 1. Under the baseline every LR_i is
/// a nonnegative martingale with mean 1 (a supermartingale if the rate is below p0), so their mixture is one too, and by
/// Ville's inequality it ever reaches 1/α_0 with probability at most α_0, however long the release is watched. The
/// mixture reaches 1/α_0 about as soon as the best single alternative reaches w_i/α_0: a test for every factor at once
/// for the price of ln(1/w_i) nats more evidence than a test built for that factor alone.
/// </para>
/// <para>
/// <b>Late changes.</b> Evidence from hours of healthy traffic pushes the e-value from the deploy far below 1, so a
/// change that starts late would take long to show. A chain of late-change tests covers it: every ⌈c/p0⌉ events (a
/// restart boundary) the current late-change test is replaced by a fresh one when its e-value is at most 1, i.e. when
/// it has no evidence worth keeping. Restart k is a stopping time, and the events after it are independent of those
/// before under the baseline, so the fresh test's e-value is again a martingale from 1 and reaches 1/α_k with
/// probability at most α_k. Restart k spends α_k = α_late · k^-s / ζ(s); by the union bound all late-change tests
/// together false-alarm with probability at most Σ α_k = α_late, and with the test from the deploy at most
/// α_0 + α_late = α. A change after k restarts is caught with ln(ζ(s)·k^s) nats more evidence than one at the deploy: the
/// price of an alarm rate bounded over any horizon, which grows with the log of how long the release was healthy.
/// </para>
/// <para>
/// <b>Alarm levels.</b> Each test alarms at the level <see cref="AlarmLevels"/> computes for its baseline and share of α,
/// not at Ville's 1/α_k: the e-value rises in jumps, one bad event at a time, and overshoots 1/α_k, so Ville's level is
/// reached with probability near 0.6 α_k. The computed level is about half a nat lower and still reached with
/// probability at most α_k (an upper bound computed exactly for the Bernoulli stream, not a simulation).
/// </para>
/// <para>
/// <b>Clearance</b> (evidence for promotion) is Wald's lower boundary for the configured alternative alone; see
/// <see cref="IsCleared"/>.
/// </para>
/// </summary>
public sealed partial record AnytimeRegressionTest
{
    private readonly AlternativeGrid _grid;
    private readonly AlarmLevels _levels;
    private readonly long _restartEvery;
    private readonly double _logLateShare;
    private readonly double _logZeta;

    private AnytimeRegressionTest(double p0, double factor, double alpha, double beta, AnytimeTestDesign design)
    {
        BaselineRate = p0;
        ConfiguredFactor = factor;
        FalseAlarmRate = alpha;
        MissRate = beta;
        Design = design;
        _grid = new AlternativeGrid(p0, design, factor);
        _restartEvery = (long)Math.Ceiling(design.RestartEveryExpectedBadEvents / p0);
        _logLateShare = design.FromDeployShare < 1 ? Math.Log((1 - design.FromDeployShare) * alpha) : double.NegativeInfinity;
        _logZeta = Math.Log(ZetaUpperBound(design.SpendingExponent));
        ConfiguredAlternativeRate = AlternativeGrid.Alternative(p0, factor);
        _configuredBadWeight = Math.Log(ConfiguredAlternativeRate / p0);
        _configuredGoodWeight = Math.Log((1 - ConfiguredAlternativeRate) / (1 - p0));
        ClearanceBound = Math.Log(beta / (1 - alpha));
        _levels = AlarmLevels.For(_grid, design);
        var logShare = Math.Log(design.FromDeployShare * alpha);
        FromDeploy = new MixtureEvidence(_grid, 0, 0, logShare, _levels.LogLevel(logShare));
    }

    /// <summary>p0, the last known good's bad-event rate.</summary>
    public double BaselineRate { get; }

    /// <summary>The configured factor: the regression whose absence <see cref="IsCleared"/> establishes.</summary>
    public double ConfiguredFactor { get; }

    /// <summary>α: the chance that a release as good as its baseline ever gets <see cref="AnytimeVerdict.Regressed"/>.</summary>
    public double FalseAlarmRate { get; }

    /// <summary>β: the chance that a release at the configured alternative is cleared.</summary>
    public double MissRate { get; }

    public AnytimeTestDesign Design { get; }

    /// <summary>Events since the deploy (until the alarm, which is final).</summary>
    public long Events => FromDeploy.Events;

    /// <summary>Bad events since the deploy.</summary>
    public long BadEvents => FromDeploy.BadEvents;

    public AnytimeVerdict Verdict { get; private init; }

    /// <summary>The test over every event since the deploy; its share of α is <see cref="AnytimeTestDesign.FromDeployShare"/>.</summary>
    public MixtureEvidence FromDeploy { get; private init; }

    /// <summary>The current late-change test; null before the first restart boundary.</summary>
    public MixtureEvidence? LateChange { get; private init; }

    /// <summary>
    /// The test that raised the alarm, or else the one closest to its alarm level: the evidence to show. Its
    /// <see cref="MixtureEvidence.EValue"/> and <see cref="MixtureEvidence.EstimatedFactor"/> are the figures to report.
    /// </summary>
    public MixtureEvidence Deciding => FromDeploy.IsAlarm || LateChange is null ? FromDeploy
        : LateChange.IsAlarm || LateChange.Distance < FromDeploy.Distance ? LateChange : FromDeploy;

    /// <summary>The e-value of <see cref="Deciding"/>.</summary>
    public double EValue => Deciding.EValue;

    /// <summary>The estimated factor of <see cref="Deciding"/> over the baseline (maximum likelihood).</summary>
    public double EstimatedFactor => Deciding.EstimatedFactor;

    /// <summary>Starts a test with <see cref="AnytimeTestDesign.Default"/>. Requires p0 in (0, 1), factor &gt; 1, α and β in (0, 1).</summary>
    public static AnytimeRegressionTest Start(double baselineRate, double configuredFactor, double falseAlarmRate, double missRate) =>
        Start(baselineRate, configuredFactor, falseAlarmRate, missRate, AnytimeTestDesign.Default);

    /// <summary>Starts a test with another design (for experiments: the guarantee holds for every valid design).</summary>
    public static AnytimeRegressionTest Start(double baselineRate, double configuredFactor, double falseAlarmRate, double missRate, AnytimeTestDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (!(baselineRate is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(baselineRate), $"need 0 < p0 < 1, got {baselineRate}");
        }

        if (!(configuredFactor > 1) || double.IsPositiveInfinity(configuredFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(configuredFactor), $"need a finite factor above 1, got {configuredFactor}");
        }

        if (!(falseAlarmRate is > 0 and < 1 && missRate is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falseAlarmRate), "false-alarm and miss rates must lie strictly between 0 and 1");
        }

        design.Validate(nameof(design));
        return new AnytimeRegressionTest(baselineRate, configuredFactor, falseAlarmRate, missRate, design);
    }

    /// <summary>Adds a batch of events, e.g. the increase of a request counter and of an error counter since the last scrape.</summary>
    public AnytimeRegressionTest Observe(long events, long badEvents)
    {
        if (events < 0 || badEvents < 0 || badEvents > events)
        {
            throw new ArgumentOutOfRangeException(nameof(badEvents), $"need 0 <= bad ({badEvents}) <= events ({events})");
        }

        if (Verdict == AnytimeVerdict.Regressed || events == 0)
        {
            return this; // an alarm is final
        }

        var fromDeploy = FromDeploy.Add(events, badEvents);
        var late = LateChange?.Add(events, badEvents);

        // Good events only lower every likelihood ratio: an alarm needs a bad one.
        if (badEvents > 0 && (fromDeploy.IsAlarm || late is { IsAlarm: true }))
        {
            return this with { FromDeploy = fromDeploy, LateChange = late, Verdict = AnytimeVerdict.Regressed };
        }

        var clearedAt = ClearedAtEvent ?? (ConfiguredLogLikelihoodRatioOf(fromDeploy) <= ClearanceBound ? fromDeploy.Events : null);
        var next = this with { FromDeploy = fromDeploy, LateChange = late, ClearedAtEvent = clearedAt };
        return fromDeploy.Events / _restartEvery > FromDeploy.Events / _restartEvery ? next.AtBoundary() : next;
    }

    /// <summary>One event.</summary>
    public AnytimeRegressionTest Observe(bool bad) => Observe(1, bad ? 1 : 0);

    /// <summary>On a restart boundary a late-change test with no evidence worth keeping (e-value ≤ 1) makes way for a fresh one.</summary>
    private AnytimeRegressionTest AtBoundary()
    {
        if (double.IsNegativeInfinity(_logLateShare) || LateChange is { LogEValue: > 0 })
        {
            return this;
        }

        var restart = (LateChange?.Restart ?? 0) + 1;
        var logShare = _logLateShare - (Design.SpendingExponent * Math.Log(restart)) - _logZeta;
        return this with { LateChange = new MixtureEvidence(_grid, restart, Events, logShare, _levels.LateLogLevel(logShare, -FromDeploy.LogFalseAlarmShare - FromDeploy.LogAlarmLevel)) };
    }

    /// <summary>An upper bound of ζ(s) = Σ k^-s: the first 1,000 terms plus the integral of the tail.</summary>
    private static double ZetaUpperBound(double s)
    {
        const int Terms = 1_000;
        var sum = 0.0;
        for (var k = Terms; k >= 1; k--)
        {
            sum += Math.Pow(k, -s);
        }

        return sum + (Math.Pow(Terms, 1 - s) / (s - 1));
    }
}
