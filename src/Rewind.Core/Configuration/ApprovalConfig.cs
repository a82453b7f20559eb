using Rewind.Core.Incidents;

namespace Rewind.Core.Configuration;

/// <summary>
/// One rule of the authorisation matrix: which rollbacks it covers, whose approval they need, and what happens when
/// nobody decides in time. The first rule that matches a rollback applies; a rollback no rule matches needs none.
/// </summary>
public sealed class ApprovalRuleConfig
{
    public ApprovalMatchConfig When { get; set; } = new();

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

/// <summary>Which rollbacks a rule covers; an empty list matches everything.</summary>
public sealed class ApprovalMatchConfig
{
    /// <summary>The severity of the rollback's incident.</summary>
    public List<Severity> Severity { get; set; } = [];

    /// <summary>The policy that asked for the rollback; <c>manual</c> names rollbacks people asked for.</summary>
    public List<string> Policies { get; set; } = [];

    public List<string> Components { get; set; } = [];
}
