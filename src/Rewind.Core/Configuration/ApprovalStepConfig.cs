namespace Rewind.Core.Configuration;

/// <summary>
/// A gate in the middle of a plan: the rollback stops at this step until authorised people approve it (a manual
/// confirmation for data safety before a database restore, say), with a time limit and what happens when it passes.
/// Who may approve follows the rules of the authorisation matrix (<see cref="ApprovalRuleConfig"/>); the approvals given
/// at a gate count only for that gate.
/// </summary>
public sealed class ApprovalStepConfig
{
    /// <summary>At least one approval by someone holding any of these roles.</summary>
    public List<string> AnyOf { get; set; } = [];

    /// <summary>For each of these roles, an approval by a different person holding it.</summary>
    public List<string> AllOf { get; set; } = [];

    /// <summary>The requester's own approval does not count. Default true.</summary>
    public bool TwoPerson { get; set; } = true;

    /// <summary>Approvers must also give a current TOTP code. Default false.</summary>
    public bool SecondFactor { get; set; }

    /// <summary>How long approvers have, counted from when the gate first opened (a restart does not reset it). Default 15m.</summary>
    public TimeSpan DecideWithin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>After <see cref="DecideWithin"/>. Default <see cref="GateTimeout.Fail"/>: a gate nobody passes stops the rollback, which pages a human.</summary>
    public GateTimeout OnTimeout { get; set; } = GateTimeout.Fail;

    /// <summary>What the approvers are asked, a plan template (<c>{{component}}</c>, <c>{{target.version}}</c>, <c>{{from.version}}</c>). Default: "Continue the rollback of {{component}} to {{target.version}}?".</summary>
    public string Message { get; set; } = "Continue the rollback of {{component}} to {{target.version}}?";

    /// <summary>An emergency rollback plans this gate out. Default false: a data-safety gate holds even in an emergency.</summary>
    public bool SkipInEmergency { get; set; }
}

/// <summary>What an approval step does when nobody decided within its time.</summary>
public enum GateTimeout
{
    /// <summary>The step fails, so the rollback fails and its incident pages a human.</summary>
    Fail,

    /// <summary>The incident escalates (once) and the gate keeps waiting for a decision.</summary>
    EscalateAndWait,

    /// <summary>The rollback goes on unapproved; only for rollbacks an auto-mode policy asked for, otherwise as <see cref="Fail"/>.</summary>
    Proceed,
}
