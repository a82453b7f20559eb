using Dapper;
using Rewind.Core.Incidents;
using Rewind.Core.Policies;
using Rewind.Storage.Policies;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public Task AddShadowDecisionAsync(ShadowDecision decision, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "INSERT INTO shadow_decisions (component, policy, release, at, action, evidence) VALUES (@Component, @Policy, @Release, @At, @Action, @Evidence)",
            new { decision.Component, decision.Policy, decision.Release, At = DbValues.ToMs(decision.At), decision.Action, decision.Evidence },
            cancellationToken);

    public async Task<IReadOnlyList<ShadowDecision>> GetShadowDecisionsAsync(int limit, string? component = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ShadowDecisionRow>(new CommandDefinition(
            $"""
            SELECT {ShadowDecisionRow.Columns} FROM shadow_decisions
            {(component is null ? "" : "WHERE component = @Component")}
            ORDER BY at DESC, seq DESC
            LIMIT @Limit
            """,
            new { Component = component, Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDecision())];
    }

    public Task DeclareMaintenanceAsync(MaintenanceWindow window, TimelineEvent? entry, CancellationToken cancellationToken = default) =>
        ChangingAsync(window.Component, InTransactionAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO maintenance_windows (component, starts_at, ends_at, reason, declared_by) VALUES (@Component, @StartsAt, @EndsAt, @Reason, @DeclaredBy)",
                    new { window.Component, StartsAt = DbValues.ToMs(window.StartsAt), EndsAt = DbValues.ToMs(window.EndsAt), window.Reason, window.DeclaredBy },
                    transaction,
                    cancellationToken: cancellationToken));
                if (entry is not null)
                {
                    await InsertTimelineAsync(connection, transaction, entry, cancellationToken);
                }

                return true;
            },
            cancellationToken));

    public async Task<MaintenanceWindow?> GetActiveMaintenanceAsync(string component, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<MaintenanceWindowRow>(new CommandDefinition(
            $"""
            SELECT {MaintenanceWindowRow.Columns} FROM maintenance_windows
            WHERE component = @Component AND starts_at <= @At AND ends_at > @At
            ORDER BY ends_at DESC
            LIMIT 1
            """,
            new { Component = component, At = DbValues.ToMs(at) },
            cancellationToken: cancellationToken));
        return row?.ToWindow();
    }

    public Task<int> EndMaintenanceAsync(string component, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ChangingAsync(component, EndMaintenanceWindowsAsync(component, at, cancellationToken));

    private async Task<int> EndMaintenanceWindowsAsync(string component, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE maintenance_windows SET ends_at = @At WHERE component = @Component AND starts_at <= @At AND ends_at > @At",
            new { Component = component, At = DbValues.ToMs(at) },
            cancellationToken: cancellationToken));
    }
}
