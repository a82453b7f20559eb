namespace Rewind.Core.Detectors;

/// <summary>
/// One running test of an <see cref="AnytimeRegressionTest"/>: the test from the deploy (<see cref="Restart"/> 0) or
/// late-change test k, started on a restart boundary. Its e-value is a nonnegative martingale with mean 1 at its start
/// while the release is as good as its baseline, so it reaches 1/α_k with probability at most α_k (Ville's inequality);
/// its <see cref="AlarmLevel"/> is the lower level computed for its baseline by <see cref="AlarmLevels"/>, reached with
/// probability at most α_k as well.
/// </summary>
public sealed record MixtureEvidence
{
    private readonly AlternativeGrid _grid;

    internal MixtureEvidence(AlternativeGrid grid, int restart, long firstEvent, double logFalseAlarmShare, double logAlarmLevel)
    {
        _grid = grid;
        Restart = restart;
        FirstEvent = firstEvent;
        LogFalseAlarmShare = logFalseAlarmShare;
        LogAlarmLevel = logAlarmLevel;
    }

    /// <summary>0 for the test from the deploy; k ≥ 1 for the k-th late-change test.</summary>
    public int Restart { get; }

    /// <summary>How many events of the release came before this test's first one.</summary>
    public long FirstEvent { get; }

    /// <summary>Events this test has seen.</summary>
    public long Events { get; private init; }

    /// <summary>Bad events among them.</summary>
    public long BadEvents { get; private init; }

    /// <summary>ln α_k: the natural log of this test's share of the false-alarm rate.</summary>
    public double LogFalseAlarmShare { get; }

    /// <summary>α_k, this test's share of the false-alarm rate.</summary>
    public double FalseAlarmShare => Math.Exp(LogFalseAlarmShare);

    /// <summary>ln of <see cref="AlarmLevel"/>; at most ln(1/α_k).</summary>
    public double LogAlarmLevel { get; }

    /// <summary>The e-value at which this test raises the alarm: at most 1/α_k, lower by what the overshoot of its jumps wastes.</summary>
    public double AlarmLevel => Math.Exp(LogAlarmLevel);

    /// <summary>ln of the e-value, the mixture of the alternatives' likelihood ratios over this test's events.</summary>
    public double LogEValue => _grid.LogEValue(Events, BadEvents);

    /// <summary>The e-value: how many times likelier the events are under the mixture of alternatives than at the baseline.</summary>
    public double EValue => Math.Exp(LogEValue);

    /// <summary>The maximum-likelihood factor over the baseline, (bad / events) / p0; 1 before any event.</summary>
    public double EstimatedFactor => Events == 0 ? 1 : BadEvents / (Events * _grid.BaselineRate);

    /// <summary>Whether the e-value has reached the alarm level.</summary>
    public bool IsAlarm => LogEValue >= LogAlarmLevel;

    /// <summary>How far below its alarm level (in nats; negative once past it) this test is.</summary>
    internal double Distance => LogAlarmLevel - LogEValue;

    internal MixtureEvidence Add(long events, long badEvents) => this with { Events = Events + events, BadEvents = BadEvents + badEvents };
}
