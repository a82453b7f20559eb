using Rewind.Core.Incidents;

namespace Rewind.Core.Configuration;

/// <summary>
/// One rule of the authorisation matrix: which rollbacks it covers, whose approval they need, and what happens when
/// nobody decides in time. The first rule that matches a rollback applies; a rollback no rule matches needs none.
/// </summary>
public sealed class ApprovalRuleConfig
{
    public MatchConfig When { get; set; } = new();

    /// <summary>At least one approval by someone holding any of these roles.</summary>
    public List<string> AnyOf { get; set; } = [];

    /// <summary>For each of these roles, an approval by a different person holding it.</summary>
    public List<string> AllOf { get; set; } = [];

    /// <summary>Approvers must also give a current TOTP code from their enrolled authenticator. Default false.</summary>
    public bool SecondFactor { get; set; }

    /// <summary>The requester's own approval does not count. Default true.</summary>
    public bool TwoPerson { get; set; } = true;

    /// <summary>How long approvers have. Default 15m.</summary>
    public TimeSpan DecideWithin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>After <see cref="DecideWithin"/>: escalate (page, keep waiting) or proceed (only for rollbacks an auto-mode policy asked for).</summary>
    public ApprovalTimeout OnTimeout { get; set; } = ApprovalTimeout.Escalate;
}

public enum ApprovalTimeout
{
    Escalate,
    Proceed,
}

/// <summary>
/// Which incidents (or rollbacks, through their incident) a rule covers; an empty list matches everything. Used by the
/// authorisation matrix and by escalation policies.
/// </summary>
public sealed class MatchConfig
{
    /// <summary>The severity of the incident.</summary>
    public List<Severity> Severity { get; set; } = [];

    /// <summary>The policy that opened the incident or asked for the rollback; <c>manual</c> names what people asked for.</summary>
    public List<string> Policies { get; set; } = [];

    public List<string> Components { get; set; } = [];

    /// <summary>Whether the lists admit this component, severity and policy.</summary>
    public bool Matches(string component, Severity severity, string policy) =>
        (Severity.Count == 0 || Severity.Contains(severity))
        && (Policies.Count == 0 || Policies.Contains(policy, StringComparer.Ordinal))
        && (Components.Count == 0 || Components.Contains(component, StringComparer.Ordinal));
}
