namespace Rewind.Core.Runbooks;

/// <summary>One execution of a rollback plan, with the durable record of every step.</summary>
public sealed record Rollback(
    string Id,
    string Component,
    string? IncidentId,
    string? FromVersion,
    string ToVersion,
    RollbackStatus Status,
    string Reason,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    IReadOnlyList<RollbackStep> Steps,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string? Error = null,
    string? AbortRequestedBy = null,
    string? AbortReason = null,
    string? Group = null,
    string? WaitsFor = null)
{
    /// <summary>A person asked to stop it; the executor stops at once (the current step is interrupted) and frees the lease.</summary>
    public bool AbortRequested => AbortRequestedBy is not null;

    /// <summary>The longest the whole plan may run, from <see cref="StartedAt"/>; none when null.</summary>
    public TimeSpan? PlanTimeout { get; init; }

    /// <summary>The policy whose declared plan this rollback runs; null for the component's plan.</summary>
    public string? PlanPolicy { get; init; }

    public bool IsActive => Status is RollbackStatus.Pending or RollbackStatus.Running or RollbackStatus.Awaiting;

    /// <summary>The first step not recorded as finished: where a resumed rollback continues.</summary>
    public RollbackStep? NextStep => Steps.OrderBy(s => s.Index).FirstOrDefault(s => s.Status != StepStatus.Succeeded);
}

/// <summary>What a rollback keeps of its plan besides the steps: the limit on the whole plan and the policy whose plan it is.</summary>
public sealed record PlanLimits(TimeSpan? Timeout, string? Policy);

/// <summary>A rollback's place in a group rollback: the group, and the member rollback it runs after.</summary>
public sealed record RollbackLink(string Group, string? WaitsFor);

/// <summary>The record of one step: what was planned and what happened.</summary>
public sealed record RollbackStep(
    int Index,
    PlanStep Plan,
    StepStatus Status,
    int Attempts = 0,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string? Output = null);
