using Rewind.Core.Agents;
using Rewind.Core.Runbooks;
using Rewind.Storage.Sql;

namespace Rewind.Storage.Agents;

/// <summary>An <c>agent_tokens</c> row as Dapper reads it.</summary>
internal sealed class AgentTokenRow
{
    public const string Columns = "id AS Id, host AS Host, description AS Description, created_at AS CreatedAt, created_by AS CreatedBy, expires_at AS ExpiresAt, revoked_at AS RevokedAt";

    public string Id { get; set; } = "";

    public string Host { get; set; } = "";

    public string Description { get; set; } = "";

    public long CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public long? ExpiresAt { get; set; }

    public long? RevokedAt { get; set; }

    public AgentToken ToToken() => new(Id, Host, Description, DbValues.FromMs(CreatedAt), CreatedBy, DbValues.FromMs(ExpiresAt), DbValues.FromMs(RevokedAt));
}

/// <summary>An <c>agents</c> row as Dapper reads it.</summary>
internal sealed class AgentRow
{
    public const string Columns = "host AS Host, instance AS Instance, version AS Version, address AS Address, started_at AS StartedAt, first_seen AS FirstSeen, seen_at AS SeenAt";

    public string Host { get; set; } = "";

    public string Instance { get; set; } = "";

    public string Version { get; set; } = "";

    public string? Address { get; set; }

    public long StartedAt { get; set; }

    public long FirstSeen { get; set; }

    public long SeenAt { get; set; }

    public AgentRecord ToAgent() => new(Host, Instance, Version, Address, DbValues.FromMs(StartedAt), DbValues.FromMs(FirstSeen), DbValues.FromMs(SeenAt));
}

/// <summary>A <c>host_backup_states</c> row as Dapper reads it.</summary>
internal sealed class HostBackupStateRow
{
    public const string Columns = "component AS Component, host AS Host, received_at AS ReceivedAt, newest_wal AS NewestWal, newest_set AS NewestSet, error AS Error";

    public string Component { get; set; } = "";

    public string Host { get; set; } = "";

    public long ReceivedAt { get; set; }

    public long? NewestWal { get; set; }

    public long? NewestSet { get; set; }

    public string? Error { get; set; }

    public HostBackupState ToState() => new(Component, Host, DbValues.FromMs(ReceivedAt), DbValues.FromMs(NewestWal), DbValues.FromMs(NewestSet), Error);
}

/// <summary>A <c>host_attempts</c> row as Dapper reads it; the step is the plan step's JSON.</summary>
internal sealed class HostAttemptRow
{
    public const string Columns = """
        id AS Id, rollback_id AS RollbackId, step_idx AS StepIndex, host AS Host, step AS Step, status AS Status,
        created_at AS CreatedAt, claimed_at AS ClaimedAt, claimed_by AS ClaimedBy, finished_at AS FinishedAt,
        output AS Output, late_report AS LateReport
        """;

    public string Id { get; set; } = "";

    public string RollbackId { get; set; } = "";

    public int StepIndex { get; set; }

    public string Host { get; set; } = "";

    public string Step { get; set; } = "";

    public string Status { get; set; } = "";

    public long CreatedAt { get; set; }

    public long? ClaimedAt { get; set; }

    public string? ClaimedBy { get; set; }

    public long? FinishedAt { get; set; }

    public string? Output { get; set; }

    public string? LateReport { get; set; }

    public HostAttempt ToAttempt() => new(
        Id,
        RollbackId,
        StepIndex,
        Host,
        PlanStepJson.Deserialize(Step),
        DbValues.Parse<HostAttemptStatus>(Status),
        DbValues.FromMs(CreatedAt),
        DbValues.FromMs(ClaimedAt),
        ClaimedBy,
        DbValues.FromMs(FinishedAt),
        Output,
        LateReport);
}
