using Rewind.Core.Incidents;
using Rewind.Core.Policies;

namespace Rewind.Core.Configuration;

/// <summary>One rule of the decision matrix.</summary>
public sealed class PolicyConfig
{
    public ConditionConfig When { get; set; } = new();

    /// <summary>Severity of the incident the policy opens. Default P1.</summary>
    public Severity Severity { get; set; } = Severity.P1;

    /// <summary><c>auto</c> rolls back, <c>approve</c> waits for a person, <c>notify</c> only opens the incident. Default auto.</summary>
    public PolicyMode Mode { get; set; } = PolicyMode.Auto;

    /// <summary>After an automatic rollback of the component, further automatic rollbacks wait this long. Default 10m.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Evaluate and record what the policy would have done ("would have rolled back…") without acting. Default false.</summary>
    public bool Shadow { get; set; }

    /// <summary>The rollback plan when this policy starts the rollback (or <c>--policy</c> names it). Default: the component's plan.</summary>
    public List<PlanStepConfig>? Plan { get; set; }
}

public sealed class ConditionConfig
{
    /// <summary>The probe whose failures the condition watches. A condition names a probe or a regression, not both.</summary>
    public string Probe { get; set; } = "";

    /// <summary>How long the probe must fail without a pass before the policy fires. Default 30s.</summary>
    public TimeSpan FailingFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed samples needed as well, so one flaky sample never fires. Default 2.</summary>
    public int MinFailures { get; set; } = 2;

    /// <summary>Consecutive passes that end an episode. Default 3.</summary>
    public int RecoverAfter { get; set; } = 3;

    /// <summary>A sequential test of the new release's bad-event rate against its last known good's.</summary>
    public RegressionConfig? Regression { get; set; }

    /// <summary>A numeric signal beyond a threshold, held for a duration.</summary>
    public SignalConditionConfig? Signal { get; set; }

    /// <summary>More than a number of events (pushed events or probe failures) in a sliding window.</summary>
    public CountConditionConfig? Count { get; set; }

    /// <summary>More than a fraction of member probes failing, held for a duration.</summary>
    public FractionConditionConfig? Fraction { get; set; }

    /// <summary>A linear fit of a signal predicts it reaches a limit within a horizon.</summary>
    public TrendConditionConfig? Trend { get; set; }

    /// <summary>Holds when any of its clauses holds; a clause counts other policies of the component that are firing.</summary>
    public List<CompositeClauseConfig>? Composite { get; set; }

    /// <summary>The kind of the condition, as written in the config.</summary>
    public string Kind => this switch
    {
        { Regression: not null } => "regression",
        { Signal: not null } => "signal",
        { Count: not null } => "count",
        { Fraction: not null } => "fraction",
        { Trend: not null } => "trend",
        { Composite: not null } => "composite",
        _ => "probe",
    };
}

/// <summary>What a signal condition does when its source has no value (no traffic, or the source failed).</summary>
public enum NoDataMode
{
    /// <summary>No data is neither a failure nor a pass: it opens an inconclusive incident and never rolls back. The default.</summary>
    Inconclusive,

    /// <summary>No data counts as the condition holding: the policy may fire (and roll back) on a dead signal.</summary>
    Holds,
}

/// <summary><c>signal: { name: app.error-ratio, above: 0.05, for: 1m }</c>.</summary>
public sealed class SignalConditionConfig
{
    /// <summary>A signal of the component: a PromQL query, a scrape's derived signal (<c>scrape.error-ratio</c>…) or a scrape gauge.</summary>
    public string Name { get; set; } = "";

    /// <summary>Holds when the value is greater than this.</summary>
    public double? Above { get; set; }

    /// <summary>Holds when the value is less than this.</summary>
    public double? Below { get; set; }

    /// <summary>How long it must hold, with no sample in between that does not, before the policy fires. Default 0s.</summary>
    public TimeSpan For { get; set; }

    /// <summary>What a missing value means. Default inconclusive.</summary>
    public NoDataMode NoData { get; set; } = NoDataMode.Inconclusive;
}

/// <summary><c>count: { events: payment-failure, above: 10, in: 1m }</c>, or <c>probe-failures: health</c> instead of events.</summary>
public sealed class CountConditionConfig
{
    /// <summary>A kind of pushed event declared in the component's <c>events</c>.</summary>
    public string? Events { get; set; }

    /// <summary>A probe of the component whose failed samples are counted.</summary>
    public string? ProbeFailures { get; set; }

    /// <summary>Holds when more than this many happened in the window.</summary>
    public int Above { get; set; }

    /// <summary>The sliding window. Default 1m.</summary>
    public TimeSpan In { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary><c>fraction: { probes: [fn-a, fn-b, fn-c], above: 50%, for: 2m }</c>: the members are probes of the component.</summary>
public sealed class FractionConditionConfig
{
    /// <summary>The member probes; empty means every probe of the component.</summary>
    public List<string> Probes { get; set; } = [];

    /// <summary>Holds when more than this fraction of members is failing (at its failure-threshold). 0.5 or 50%.</summary>
    public double Above { get; set; } = 0.5;

    /// <summary>How long it must hold before the policy fires. Default 0s.</summary>
    public TimeSpan For { get; set; }
}

/// <summary><c>trend: { signal: app.memory, reaches: 512e6, within: 30m, over: 10m }</c>: "disk full within 30 min".</summary>
public sealed class TrendConditionConfig
{
    public string Signal { get; set; } = "";

    /// <summary>The limit the signal must not reach (from below when rising, from above when <see cref="Falling"/>).</summary>
    public double Reaches { get; set; }

    /// <summary>Holds when the fitted line reaches the limit within this horizon. Default 30m.</summary>
    public TimeSpan Within { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The recent window the line is fitted over. Default 10m.</summary>
    public TimeSpan Over { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Values fitted at least; fewer is no prediction. Default 5.</summary>
    public int MinPoints { get; set; } = 5;

    /// <summary>Watch a falling signal (free space running out) instead of a rising one.</summary>
    public bool Falling { get; set; }
}

/// <summary>One clause of a composite: at least N of the named policies (or of those with a severity) are firing.</summary>
public sealed class CompositeClauseConfig
{
    /// <summary>The policies counted; with <see cref="Severity"/> unset, required.</summary>
    public List<string> Policies { get; set; } = [];

    /// <summary>Counts every other policy of the component with this severity.</summary>
    public Rewind.Core.Incidents.Severity? Severity { get; set; }

    /// <summary>How many must be firing. Default 1.</summary>
    public int AtLeast { get; set; } = 1;
}

/// <summary>
/// Regression against the baseline: Wald's sequential test of "the bad-event rate is the last known good's (p0)"
/// against "it is p0 × factor (p1)", on the traffic a scrape counts. Decides as soon as the evidence suffices.
/// </summary>
public sealed class RegressionConfig
{
    /// <summary>The scrape (of this component) whose request counter and histogram carry the traffic.</summary>
    public string Scrape { get; set; } = "";

    /// <summary>p0 when the last known good has not served <see cref="MinBaselineRequests"/> requests in Rewind's scrapes (kept across restarts). Default 0.005.</summary>
    public double BaselineRate { get; set; } = 0.005;

    /// <summary>p1 = p0 × factor (at most 0.5): the smallest regression worth a rollback. Default 10.</summary>
    public double Factor { get; set; } = 10;

    /// <summary>α: the chance that a release as good as its baseline is ever rolled back by this test. Default 0.001.</summary>
    public double FalseAlarm { get; set; } = 0.001;

    /// <summary>β: the chance of clearing a release that is really at p1. Default 0.01.</summary>
    public double Miss { get; set; } = 0.01;

    /// <summary>Requests the last known good must have served before its own rate is trusted as p0. Default 1000.</summary>
    public int MinBaselineRequests { get; set; } = 1000;

    /// <summary>
    /// A latency quantile to watch for a shift (0.95 for p95), from the scrape's duration histogram; none by default.
    /// The release is tested on the share of its requests slower than the histogram bound the last known good kept that
    /// quantile under: a release whose quantile moved above it has more than 1 − q of its requests there.
    /// </summary>
    public double? LatencyQuantile { get; set; }

    /// <summary>The shift the latency test is designed for: the share above the bound grown from 1 − q by this factor. Default 2.</summary>
    public double LatencyFactor { get; set; } = 2;
}
