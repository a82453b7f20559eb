using Dapper;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Storage.Runbooks;
using Rewind.Storage.Sql;
using System.Data.Common;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    private const string ActiveStatuses = "('pending', 'running', 'awaiting')";

    public Task<RollbackCreation> CreateRollbackAsync(string component, string? incidentId, string? fromVersion, string toVersion, string reason, string requestedBy, IReadOnlyList<PlanStep> steps, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        CreateRollbackAsync(component, incidentId, fromVersion, toVersion, reason, requestedBy, steps, at, awaitingApproval: false, null, null, null, cancellationToken);

    public async Task<RollbackCreation> CreateRollbackAsync(string component, string? incidentId, string? fromVersion, string toVersion, string reason, string requestedBy, IReadOnlyList<PlanStep> steps, DateTimeOffset at, bool awaitingApproval, RollbackLink? link = null, PlanLimits? limits = null, Func<Rollback, TimelineEvent>? decision = null, CancellationToken cancellationToken = default)
    {
        var requestedAt = DbValues.FromMs(DbValues.ToMs(at));
        Rollback New(string id) =>
            new(
                id, component, incidentId, fromVersion, toVersion, awaitingApproval ? RollbackStatus.Awaiting : RollbackStatus.Pending, reason, requestedBy, requestedAt,
                [.. steps.Select((step, index) => new RollbackStep(index, step, StepStatus.Pending))],
                Group: link?.Group,
                WaitsFor: link?.WaitsFor)
            {
                PlanTimeout = limits?.Timeout,
                PlanPolicy = limits?.Policy,
            };

        return await ChangingAsync(component, _createRetry.ExecuteAsync(
            async token =>
            {
                try
                {
                    return await InTransactionAsync(
                        async (connection, transaction) =>
                        {
                            if (await FindActiveRollbackIdAsync(connection, transaction, component, token) is { } active)
                            {
                                return new RollbackCreation(null, active);
                            }

                            var rollback = New(await NextDailyIdAsync(connection, transaction, DailyId.RollbackPrefix, at, token));
                            await InsertRollbackAsync(connection, transaction, rollback, token);
                            if (decision?.Invoke(rollback) is { } entry)
                            {
                                if (!awaitingApproval)
                                {
                                    await SetIncidentStatusAsync(connection, transaction, entry.IncidentId, IncidentStatus.Mitigating, at, token);
                                }

                                await InsertTimelineAsync(connection, transaction, entry, token);
                            }

                            return new RollbackCreation(rollback, null);
                        },
                        token);
                }
                catch (DbException e) when (_dialect.IsUniqueViolation(e))
                {
                    // Another controller took the lease between our check and our insert.
                    await using var connection = await _dialect.OpenAsync(token);
                    if (await FindActiveRollbackIdAsync(connection, null, component, token) is { } active)
                    {
                        return new RollbackCreation(null, active);
                    }

                    throw; // the holder is gone already (it just finished): the retry tries again
                }
            },
            cancellationToken).AsTask());
    }

    public async Task<Rollback?> GetRollbackAsync(string id, CancellationToken cancellationToken = default)
    {
        var rollbacks = await QueryRollbacksAsync($"SELECT {RollbackRow.Columns} FROM rollbacks WHERE id = @Id", new { Id = id }, cancellationToken);
        return rollbacks.Count == 0 ? null : rollbacks[0];
    }

    public Task<IReadOnlyList<Rollback>> GetRollbacksAsync(int limit, string? component = null, CancellationToken cancellationToken = default)
    {
        var filter = component is null ? "" : "WHERE component = @Component";
        return QueryRollbacksAsync(
            $"SELECT {RollbackRow.Columns} FROM rollbacks {filter} ORDER BY requested_at DESC, id DESC LIMIT @Limit",
            new { Limit = limit, Component = component },
            cancellationToken);
    }

    public Task<IReadOnlyList<Rollback>> GetActiveRollbacksAsync(CancellationToken cancellationToken = default) =>
        QueryRollbacksAsync(
            $"SELECT {RollbackRow.Columns} FROM rollbacks WHERE status IN {ActiveStatuses} ORDER BY requested_at, id",
            null,
            cancellationToken);

    public Task<bool> MarkRollbackRunningAsync(string id, DateTimeOffset at, TimelineEvent? entry = null, CancellationToken cancellationToken = default) =>
        ChangeWithEntryAsync(
            "UPDATE rollbacks SET status = 'running', started_at = COALESCE(started_at, @At) WHERE id = @Id AND status = 'pending'",
            new { Id = id, At = DbValues.ToMs(at) },
            entry,
            cancellationToken);

    public Task<bool> CancelUnstartedRollbackAsync(string id, DateTimeOffset at, string note, CancellationToken cancellationToken = default) =>
        ChangingRollbackAsync(
            id,
            async () =>
            {
                await using var connection = await _dialect.OpenAsync(cancellationToken);
                return await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE rollbacks SET status = 'cancelled', finished_at = @At, error = @Note WHERE id = @Id AND status = 'pending' AND started_at IS NULL",
                    new { Id = id, At = DbValues.ToMs(at), Note = note },
                    cancellationToken: cancellationToken)) > 0;
            },
            cancellationToken);

    public async Task<IReadOnlyList<string>> GetRollbacksWaitingForAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM rollbacks WHERE waits_for = @Id ORDER BY id", new { Id = id }, cancellationToken: cancellationToken))];
    }

    public async Task<bool> RequestAbortAsync(string id, string by, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE rollbacks SET abort_requested_by = @By, abort_reason = @Reason WHERE id = @Id AND status IN ('pending', 'running') AND abort_requested_by IS NULL",
            new { Id = id, By = by, Reason = reason },
            cancellationToken: cancellationToken)) > 0;
    }

    public Task MarkStepStartedAsync(string rollbackId, int index, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            """
            UPDATE rollback_steps SET status = 'running', started_at = @At, finished_at = NULL, attempts = attempts + 1
            WHERE rollback_id = @RollbackId AND idx = @Index
            """,
            new { RollbackId = rollbackId, Index = index, At = DbValues.ToMs(at) },
            cancellationToken);

    public Task<bool> MarkStepFinishedAsync(string rollbackId, int index, StepStatus status, DateTimeOffset at, string? output, CancellationToken cancellationToken = default) =>
        MarkStepFinishedAsync(rollbackId, index, status, at, output, null, cancellationToken);

    public Task<bool> MarkStepFinishedAsync(string rollbackId, int index, StepStatus status, DateTimeOffset at, string? output, TimelineEvent? entry, CancellationToken cancellationToken = default) =>
        ChangeWithEntryAsync(
            "UPDATE rollback_steps SET status = @Status, finished_at = @At, output = @Output WHERE rollback_id = @RollbackId AND idx = @Index AND status = 'running'",
            new { RollbackId = rollbackId, Index = index, Status = DbValues.Text(status), At = DbValues.ToMs(at), Output = StepOutput.Bound(output) },
            entry,
            cancellationToken);

    private async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    private async Task InsertRollbackAsync(DbConnection connection, DbTransaction transaction, Rollback rollback, CancellationToken cancellationToken)
    {
        const string InsertRollback = """
            INSERT INTO rollbacks (id, component, incident_id, from_version, to_version, status, reason, requested_by, requested_at, group_name, waits_for, plan_timeout_ms, plan_policy)
            VALUES (@Id, @Component, @IncidentId, @FromVersion, @ToVersion, @Status, @Reason, @RequestedBy, @RequestedAt, @Group, @WaitsFor, @PlanTimeoutMs, @PlanPolicy)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            InsertRollback,
            new
            {
                rollback.Id,
                rollback.Component,
                rollback.IncidentId,
                rollback.FromVersion,
                rollback.ToVersion,
                Status = DbValues.Text(rollback.Status),
                rollback.Reason,
                rollback.RequestedBy,
                RequestedAt = DbValues.ToMs(rollback.RequestedAt),
                rollback.Group,
                rollback.WaitsFor,
                PlanTimeoutMs = rollback.PlanTimeout is { } planTimeout ? (long?)planTimeout.TotalMilliseconds : null,
                rollback.PlanPolicy,
            },
            transaction,
            cancellationToken: cancellationToken));

        var insertStep = $"""
            INSERT INTO rollback_steps (rollback_id, idx, kind, spec, status, attempts)
            VALUES (@RollbackId, @Index, @Kind, {_dialect.JsonValue("@Spec")}, @Status, 0)
            """;
        foreach (var step in rollback.Steps)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                insertStep,
                new { RollbackId = rollback.Id, step.Index, step.Plan.Kind, Spec = PlanStepJson.Serialize(step.Plan), Status = DbValues.Text(step.Status) },
                transaction,
                cancellationToken: cancellationToken));
        }
    }

    private static Task<string?> FindActiveRollbackIdAsync(DbConnection connection, DbTransaction? transaction, string component, CancellationToken cancellationToken) =>
        connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            $"SELECT id FROM rollbacks WHERE component = @Component AND status IN {ActiveStatuses}",
            new { Component = component },
            transaction,
            cancellationToken: cancellationToken));

    private async Task<IReadOnlyList<Rollback>> QueryRollbacksAsync(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<RollbackRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var steps = await connection.QueryAsync<RollbackStepRow>(new CommandDefinition(
            $"SELECT {RollbackStepRow.Columns} FROM rollback_steps WHERE {_dialect.InList("rollback_id", "@Ids")} ORDER BY rollback_id, idx",
            new { Ids = rows.Select(r => r.Id).ToArray() },
            cancellationToken: cancellationToken));
        var byRollback = steps.ToLookup(s => s.RollbackId, StringComparer.Ordinal);
        return [.. rows.Select(r => r.ToRollback([.. byRollback[r.Id].Select(s => s.ToStep())]))];
    }
}
