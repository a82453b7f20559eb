using Rewind.Core.Runbooks;
using Rewind.Storage.Sql;

namespace Rewind.Storage.Runbooks;

/// <summary>A <c>rollbacks</c> row as Dapper reads it.</summary>
internal sealed class RollbackRow
{
    public const string Columns = """
        id AS Id, component AS Component, incident_id AS IncidentId, from_version AS FromVersion, to_version AS ToVersion,
        status AS Status, reason AS Reason, requested_by AS RequestedBy, requested_at AS RequestedAt,
        started_at AS StartedAt, finished_at AS FinishedAt, error AS Error, abort_requested_by AS AbortRequestedBy,
        abort_reason AS AbortReason, group_name AS GroupName, waits_for AS WaitsFor,
        plan_timeout_ms AS PlanTimeoutMs, plan_policy AS PlanPolicy
        """;

    public string Id { get; set; } = "";

    public string Component { get; set; } = "";

    public string? IncidentId { get; set; }

    public string? FromVersion { get; set; }

    public string ToVersion { get; set; } = "";

    public string Status { get; set; } = "";

    public string Reason { get; set; } = "";

    public string RequestedBy { get; set; } = "";

    public long RequestedAt { get; set; }

    public long? StartedAt { get; set; }

    public long? FinishedAt { get; set; }

    public string? Error { get; set; }

    public string? AbortRequestedBy { get; set; }

    public string? AbortReason { get; set; }

    public string? GroupName { get; set; }

    public string? WaitsFor { get; set; }

    public long? PlanTimeoutMs { get; set; }

    public string? PlanPolicy { get; set; }

    public Rollback ToRollback(IReadOnlyList<RollbackStep> steps) => new(
        Id,
        Component,
        IncidentId,
        FromVersion,
        ToVersion,
        DbValues.Parse<RollbackStatus>(Status),
        Reason,
        RequestedBy,
        DbValues.FromMs(RequestedAt),
        steps,
        DbValues.FromMs(StartedAt),
        DbValues.FromMs(FinishedAt),
        Error,
        AbortRequestedBy,
        AbortReason,
        GroupName,
        WaitsFor)
    {
        PlanTimeout = PlanTimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        PlanPolicy = PlanPolicy,
    };
}

/// <summary>A <c>rollback_steps</c> row as Dapper reads it.</summary>
internal sealed class RollbackStepRow
{
    public const string Columns = """
        rollback_id AS RollbackId, idx AS StepIndex, spec AS Spec, status AS Status, attempts AS Attempts,
        started_at AS StartedAt, finished_at AS FinishedAt, output AS Output
        """;

    public string RollbackId { get; set; } = "";

    public int StepIndex { get; set; }

    public string Spec { get; set; } = "";

    public string Status { get; set; } = "";

    public int Attempts { get; set; }

    public long? StartedAt { get; set; }

    public long? FinishedAt { get; set; }

    public string? Output { get; set; }

    public RollbackStep ToStep() => new(
        StepIndex,
        PlanStepJson.Deserialize(Spec),
        DbValues.Parse<StepStatus>(Status),
        Attempts,
        DbValues.FromMs(StartedAt),
        DbValues.FromMs(FinishedAt),
        Output);
}
