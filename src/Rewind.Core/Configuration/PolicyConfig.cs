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
}

/// <summary>
/// Regression against the baseline: Wald's sequential test of "the bad-event rate is the last known good's (p0)"
/// against "it is p0 × factor (p1)", on the traffic a scrape counts. Decides as soon as the evidence suffices.
/// </summary>
public sealed class RegressionConfig
{
    /// <summary>The scrape (of this component) whose request counter and histogram carry the traffic.</summary>
    public string Scrape { get; set; } = "";

    /// <summary>p0 when the last known good has not served <see cref="MinBaselineRequests"/> requests under this controller. Default 0.005.</summary>
    public double BaselineRate { get; set; } = 0.005;

    /// <summary>p1 = p0 × factor (at most 0.5): the smallest regression worth a rollback. Default 10.</summary>
    public double Factor { get; set; } = 10;

    /// <summary>α: the chance that a release as good as its baseline is ever rolled back by this test. Default 0.001.</summary>
    public double FalseAlarm { get; set; } = 0.001;

    /// <summary>β: the chance of clearing a release that is really at p1. Default 0.01.</summary>
    public double Miss { get; set; } = 0.01;

    /// <summary>Requests the last known good must have served before its own rate is trusted as p0. Default 1000.</summary>
    public int MinBaselineRequests { get; set; } = 1000;
}
