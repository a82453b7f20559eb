namespace Rewind.Client;

/// <summary>One rollback and the record of every step. Status is pending, running, succeeded or failed.</summary>
public sealed record RollbackDto(
    string Id,
    string Component,
    string? IncidentId,
    string? FromVersion,
    string ToVersion,
    string Status,
    string Reason,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    IReadOnlyList<RollbackStepDto> Steps)
{
    /// <summary>The limit on the whole plan (from its start), when the component declares <c>plan-timeout</c>.</summary>
    public TimeSpan? PlanTimeout { get; init; }

    /// <summary>The policy whose declared plan ran; null for the component's plan.</summary>
    public string? PlanPolicy { get; init; }
}

/// <summary>Body of <c>POST /api/v1/groups/{name}/rollback</c>: roll every member back, in the group's order.</summary>
public sealed record GroupRollbackRequest(string Reason, bool DryRun = false, bool Emergency = false);

/// <summary>The members' plans, in the order they run.</summary>
public sealed record GroupPlanDto(string Group, IReadOnlyList<RollbackPlanDto> Plans);

/// <summary>The members' rollbacks, in the order they run: the first runs, each next one after the one before succeeded.</summary>
public sealed record GroupRollbackDto(string Group, IReadOnlyList<RollbackDto> Rollbacks);

/// <summary>Body of <c>POST /api/v1/rollbacks/{id}/abort</c>: stop this rollback, saying why.</summary>
public sealed record AbortRollbackRequest(string Reason);

/// <summary>
/// Body of <c>POST /api/v1/rollbacks/{id}/approve</c> and <c>/deny</c>: an optional note for the record (at most 2000
/// characters), and a TOTP code where the approval rule asks for a second factor.
/// </summary>
public sealed record RollbackDecisionRequest(string? Note, string? Code = null);

/// <summary>
/// One step of a rollback. <see cref="AwaitingApproval"/> is true while the rollback is held at this approval step: the
/// description says what is asked and who may approve; <c>POST /rollbacks/{id}/approve</c> (or deny) decides it.
/// </summary>
public sealed record RollbackStepDto(int Index, string Kind, string Description, string Status, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Output, MemberCountsDto? Members = null, bool AwaitingApproval = false);

/// <summary>A batch step's members by status (null for other steps, and before the member list is resolved).</summary>
public sealed record MemberCountsDto(int Total, int Pending, int Running, int Succeeded, int Failed, int Unreachable = 0);

/// <summary>One member of a batch step: its status, attempts, and its last call's output.</summary>
public sealed record MemberDto(string Member, string Status, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Output);

/// <summary>
/// Body of <c>POST /api/v1/rollbacks</c>. Without <see cref="ToVersion"/> the target is the last known good.
/// With <see cref="DryRun"/> the answer is the exact plan and nothing is touched. With <see cref="Policy"/> the plan is the
/// one declared on that policy of the component (as when the policy fires), when it declares one.
/// </summary>
public sealed record RollbackRequest(string Component, string Reason, string? ToVersion = null, bool DryRun = false, string? RequestedBy = null, bool Emergency = false, string? Policy = null, bool AllowSchemaChange = false);

/// <summary>A dry run: the resolved versions and the exact steps, paths and argv a rollback would run.</summary>
public sealed record RollbackPlanDto(string Component, string? FromVersion, string ToVersion, IReadOnlyList<PlanStepDto> Steps)
{
    /// <summary>The limit on the whole plan, when the component declares <c>plan-timeout</c>.</summary>
    public TimeSpan? PlanTimeout { get; init; }

    /// <summary>The policy whose declared plan this is; null for the component's plan.</summary>
    public string? PlanPolicy { get; init; }

    /// <summary>The schema change the rollback goes back over (<c>from -> to</c>), when the releases recorded different schemas.</summary>
    public string? SchemaChange { get; init; }

    /// <summary>
    /// The approval rule that will hold the rollback once the caller requests it (matched as the request would be: the
    /// component, the severity of its open incident or P2, the caller's manual request); null when it would run at once.
    /// </summary>
    public ApprovalNeededDto? Approval { get; init; }
}

/// <summary>
/// An approval a rollback will wait for: <see cref="Rule"/> is the rule's number in the config's <c>approvals</c> list
/// (from 1), <see cref="Needs"/> what it asks for in an operator's words, <see cref="OnTimeout"/> what happens when nobody
/// decides within <see cref="DecideWithin"/>: <c>proceeds</c> or <c>escalates</c>.
/// </summary>
public sealed record ApprovalNeededDto(int Rule, IReadOnlyList<string> AnyOf, IReadOnlyList<string> AllOf, bool TwoPerson, bool SecondFactor, TimeSpan DecideWithin, string Needs, string OnTimeout);

public sealed record PlanStepDto(int Index, string Kind, string Description);
