using Dapper;
using Rewind.Core.Agents;
using Rewind.Core.Notifications;
using Rewind.Core.Runbooks;
using Rewind.Storage.Agents;
using Rewind.Storage.Runbooks;
using Rewind.Storage.Sql;
using System.Globalization;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    /// <summary>At most 2,000 characters of a late report: it is a note beside the outcome, not a second output.</summary>
    private const int LateReportLength = 2000;

    /// <summary>
    /// Attempts an agent is still to run or report, of rollbacks still running, or of jobs (<see cref="HostAttempt.JobPrefix"/>)
    /// taken already or made since <c>@JobsSince</c>: what a poll hands out. A job nobody waits for any more is not handed out late.
    /// </summary>
    private const string ClaimableAttempts = """
        host = @Host AND status IN ('pending', 'running')
        AND (rollback_id IN (SELECT id FROM rollbacks WHERE status = 'running') OR (rollback_id LIKE 'job.%' AND (status = 'running' OR created_at >= @JobsSince)))
        """;

    public Task CreateAgentTokenAsync(AgentToken token, string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ExecuteAsync(
            """
            INSERT INTO agent_tokens (id, host, hash, description, created_at, created_by, expires_at, revoked_at)
            VALUES (@Id, @Host, @Hash, @Description, @CreatedAt, @CreatedBy, @ExpiresAt, @RevokedAt)
            """,
            new
            {
                token.Id,
                token.Host,
                Hash = hash,
                token.Description,
                CreatedAt = DbValues.ToMs(token.CreatedAt),
                token.CreatedBy,
                ExpiresAt = DbValues.ToMs(token.ExpiresAt),
                RevokedAt = DbValues.ToMs(token.RevokedAt),
            },
            cancellationToken);
    }

    public async Task<AgentToken?> FindAgentTokenAsync(string hash, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<AgentTokenRow>(new CommandDefinition(
            $"SELECT {AgentTokenRow.Columns} FROM agent_tokens WHERE hash = @Hash", new { Hash = hash }, cancellationToken: cancellationToken));
        return row?.ToToken();
    }

    public async Task<IReadOnlyList<AgentToken>> GetAgentTokensAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AgentTokenRow>(new CommandDefinition(
            $"SELECT {AgentTokenRow.Columns} FROM agent_tokens ORDER BY created_at DESC, id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToToken())];
    }

    public async Task<bool> RevokeAgentTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE agent_tokens SET revoked_at = @At WHERE id = @Id AND revoked_at IS NULL",
            new { Id = id, At = DbValues.ToMs(at) },
            cancellationToken: cancellationToken)) > 0;
    }

    public Task SaveAgentAsync(AgentRecord agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return ExecuteAsync(
            """
            INSERT INTO agents (host, instance, version, address, started_at, first_seen, seen_at)
            VALUES (@Host, @Instance, @Version, @Address, @StartedAt, @FirstSeen, @SeenAt)
            ON CONFLICT (host) DO UPDATE SET instance = excluded.instance, version = excluded.version,
                address = excluded.address, started_at = excluded.started_at, seen_at = excluded.seen_at
            """,
            new
            {
                agent.Host,
                agent.Instance,
                agent.Version,
                agent.Address,
                StartedAt = DbValues.ToMs(agent.StartedAt),
                FirstSeen = DbValues.ToMs(agent.FirstSeen),
                SeenAt = DbValues.ToMs(agent.SeenAt),
            },
            cancellationToken);
    }

    public Task SaveHostBackupStateAsync(HostBackupState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ExecuteAsync(
            """
            INSERT INTO host_backup_states (component, host, received_at, newest_wal, newest_set, error)
            VALUES (@Component, @Host, @ReceivedAt, @NewestWal, @NewestSet, @Error)
            ON CONFLICT (component) DO UPDATE SET host = excluded.host, received_at = excluded.received_at,
                newest_wal = excluded.newest_wal, newest_set = excluded.newest_set, error = excluded.error
            """,
            new
            {
                state.Component,
                state.Host,
                ReceivedAt = DbValues.ToMs(state.ReceivedAt),
                NewestWal = DbValues.ToMs(state.NewestWal),
                NewestSet = DbValues.ToMs(state.NewestSet),
                Error = state.Error is { Length: > 2000 } text ? text[..2000] : state.Error,
            },
            cancellationToken);
    }

    public async Task<HostBackupState?> GetHostBackupStateAsync(string component, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<HostBackupStateRow>(new CommandDefinition(
            $"SELECT {HostBackupStateRow.Columns} FROM host_backup_states WHERE component = @Component", new { Component = component }, cancellationToken: cancellationToken));
        return row?.ToState();
    }

    public async Task<IReadOnlyList<AgentRecord>> GetAgentsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AgentRow>(new CommandDefinition(
            $"SELECT {AgentRow.Columns} FROM agents ORDER BY host", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAgent())];
    }

    public async Task<HostAttempt> EnsureHostAttemptAsync(HostAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO host_attempts (id, rollback_id, step_idx, host, step, status, created_at, claimed_at, claimed_by, finished_at, output, late_report)
            VALUES (@Id, @RollbackId, @StepIndex, @Host, {_dialect.JsonValue("@Step")}, @Status, @CreatedAt, @ClaimedAt, @ClaimedBy, @FinishedAt, @Output, @LateReport)
            ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                attempt.Id,
                attempt.RollbackId,
                attempt.StepIndex,
                attempt.Host,
                Step = PlanStepJson.Serialize(attempt.Step),
                Status = DbValues.Text(attempt.Status),
                CreatedAt = DbValues.ToMs(attempt.CreatedAt),
                ClaimedAt = DbValues.ToMs(attempt.ClaimedAt),
                attempt.ClaimedBy,
                FinishedAt = DbValues.ToMs(attempt.FinishedAt),
                Output = StepOutput.Bound(attempt.Output),
                attempt.LateReport,
            },
            cancellationToken: cancellationToken));
        return (await connection.QueryFirstAsync<HostAttemptRow>(new CommandDefinition(
            $"SELECT {HostAttemptRow.Columns} FROM host_attempts WHERE id = @Id", new { attempt.Id }, cancellationToken: cancellationToken))).ToAttempt();
    }

    public async Task<HostAttempt?> GetHostAttemptAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<HostAttemptRow>(new CommandDefinition(
            $"SELECT {HostAttemptRow.Columns} FROM host_attempts WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToAttempt();
    }

    public async Task<IReadOnlyList<HostAttempt>> GetHostAttemptsAsync(string rollbackId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HostAttemptRow>(new CommandDefinition(
            $"SELECT {HostAttemptRow.Columns} FROM host_attempts WHERE rollback_id = @RollbackId ORDER BY step_idx, host",
            new { RollbackId = rollbackId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAttempt())];
    }

    public Task<IReadOnlyList<HostAttempt>> ClaimHostAttemptsAsync(string host, string instance, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<HostAttempt>>(
            async (connection, transaction) =>
            {
                // The right-hand sides read the row as it was: a pending attempt is claimed now by the instance asking, a
                // running one keeps when and by whom it was first claimed (the agent tells its own from another's).
                await connection.ExecuteAsync(new CommandDefinition(
                    $"""
                    UPDATE host_attempts SET status = 'running', claimed_at = CASE WHEN status = 'pending' THEN @At ELSE claimed_at END,
                        claimed_by = CASE WHEN status = 'pending' THEN @Instance ELSE claimed_by END
                    WHERE {ClaimableAttempts}
                    """,
                    new { Host = host, Instance = instance, At = DbValues.ToMs(at), JobsSince = DbValues.ToMs(at - HostAttempt.JobClaimable) },
                    transaction,
                    cancellationToken: cancellationToken));
                var rows = await connection.QueryAsync<HostAttemptRow>(new CommandDefinition(
                    $"SELECT {HostAttemptRow.Columns} FROM host_attempts WHERE {ClaimableAttempts} ORDER BY created_at, id",
                    new { Host = host, JobsSince = DbValues.ToMs(at - HostAttempt.JobClaimable) },
                    transaction,
                    cancellationToken: cancellationToken));
                return [.. rows.Select(r => r.ToAttempt())];
            },
            cancellationToken);

    public async Task<IReadOnlyList<string>> GetOrphanedHostAttemptsAsync(string host, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT id FROM host_attempts
            WHERE host = @Host AND status = 'running' AND rollback_id IN (SELECT id FROM rollbacks WHERE status <> 'running')
            ORDER BY created_at, id
            """,
            new { Host = host },
            cancellationToken: cancellationToken));
        return [.. ids];
    }

    public Task<bool> ReportHostAttemptAsync(HostAttemptReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Status is not (HostAttemptStatus.Succeeded or HostAttemptStatus.Failed or HostAttemptStatus.Unknown))
        {
            throw new ArgumentException($"a report says how an attempt ended, not '{DbValues.Text(report.Status)}'", nameof(report));
        }

        var status = DbValues.Text(report.Status);
        var output = StepOutput.Bound(report.Output);
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                if (await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE host_attempts SET status = @Status, output = @Output, finished_at = @At WHERE id = @Id AND status IN ('pending', 'running')",
                    new { Id = report.AttemptId, Status = status, Output = output, At = DbValues.ToMs(report.At) },
                    transaction,
                    cancellationToken: cancellationToken)) > 0)
                {
                    return true;
                }

                var stored = await connection.QueryFirstOrDefaultAsync<HostAttemptRow>(new CommandDefinition(
                    "SELECT status AS Status, output AS Output FROM host_attempts WHERE id = @Id",
                    new { Id = report.AttemptId },
                    transaction,
                    cancellationToken: cancellationToken));
                if (stored is not null && (stored.Status != status || stored.Output != output))
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE host_attempts SET late_report = @LateReport WHERE id = @Id",
                        new { Id = report.AttemptId, LateReport = LateReportLine(status, report.At, report.Output) },
                        transaction,
                        cancellationToken: cancellationToken));
                }

                return false;
            },
            cancellationToken);
    }

    public async Task<bool> GiveUpHostAttemptAsync(string id, DateTimeOffset at, string output, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE host_attempts SET status = 'unreachable', finished_at = @At, output = @Output WHERE id = @Id AND status IN ('pending', 'running')",
            new { Id = id, At = DbValues.ToMs(at), Output = StepOutput.Bound(output) },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// <c>succeeded at 2026-12-06 10:15:00Z: …</c> on one line, at most <see cref="LateReportLength"/> characters: the
    /// output's tail when it is longer, since that is where failures are told.
    /// </summary>
    private static string LateReportLine(string status, DateTimeOffset at, string output)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"{status} at {at:u}: ");
        var text = OutsideText.OneLine(output);
        return text.Length <= LateReportLength - head.Length
            ? head + text
            : head + "…" + StepOutput.Tail(text, LateReportLength - head.Length - 1);
    }
}
