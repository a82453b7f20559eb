using Dapper;
using Rewind.Core.Incidents;
using Rewind.Storage.Incidents;
using Rewind.Storage.Sql;
using System.Data.Common;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public Task<Incident> OpenIncidentAsync(string component, Severity severity, string title, string? policy, string? release, DateTimeOffset at, string actor, CancellationToken cancellationToken = default)
    {
        const string Sql = """
            INSERT INTO incidents (id, component, severity, status, title, policy, release, opened_at, resolved_at, drill_run)
            VALUES (@Id, @Component, @Severity, @Status, @Title, @Policy, @Release, @OpenedAt, NULL, @DrillRun)
            """;
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                var id = await NextDailyIdAsync(connection, transaction, DailyId.IncidentPrefix, at, cancellationToken);
                var drill = await RunningDrillAsync(connection, transaction, component, cancellationToken);
                var shown = drill is null ? title : $"[drill {drill.Value.Drill}] {title}";
                var incident = new Incident(id, component, severity, IncidentStatus.Investigating, shown, policy, at, null, release, DrillRun: drill?.Id);
                await connection.ExecuteAsync(new CommandDefinition(
                    Sql,
                    new
                    {
                        Id = id,
                        Component = component,
                        Severity = DbValues.Text(severity),
                        Status = DbValues.Text(incident.Status),
                        Title = shown,
                        Policy = policy,
                        Release = release,
                        OpenedAt = DbValues.ToMs(at),
                        DrillRun = drill?.Id,
                    },
                    transaction,
                    cancellationToken: cancellationToken));
                await InsertTimelineAsync(connection, transaction, new TimelineEvent(id, at, TimelineKinds.Opened, shown, actor), cancellationToken);
                return incident with { OpenedAt = DbValues.FromMs(DbValues.ToMs(at)) };
            },
            cancellationToken);
    }

    public async Task<Incident?> GetOpenIncidentAsync(string component, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<IncidentRow>(new CommandDefinition(
            $"""
            SELECT {IncidentRow.Columns} FROM incidents
            WHERE component = @Component AND status <> @Resolved
            ORDER BY opened_at DESC, id DESC
            LIMIT 1
            """,
            new { Component = component, Resolved = DbValues.Text(IncidentStatus.Resolved) },
            cancellationToken: cancellationToken));
        return row?.ToIncident();
    }

    public async Task<Incident?> GetIncidentAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<IncidentRow>(new CommandDefinition(
            $"SELECT {IncidentRow.Columns} FROM incidents WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToIncident();
    }

    public async Task<IReadOnlyList<Incident>> GetIncidentsAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IncidentRow>(new CommandDefinition(
            $"SELECT {IncidentRow.Columns} FROM incidents ORDER BY opened_at DESC, id DESC LIMIT @Limit",
            new { Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToIncident())];
    }

    public Task<bool> SetIncidentStatusAsync(string id, IncidentStatus status, DateTimeOffset at, TimelineEvent? entry = null, CancellationToken cancellationToken = default) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                if (!await SetIncidentStatusAsync(connection, transaction, id, status, at, cancellationToken))
                {
                    return false;
                }

                if (entry is not null)
                {
                    await InsertTimelineAsync(connection, transaction, entry, cancellationToken);
                }

                return true;
            },
            cancellationToken);

    public async Task AppendTimelineAsync(TimelineEvent entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await InsertTimelineAsync(connection, null, entry, cancellationToken);
    }

    public async Task<IReadOnlyList<TimelineEvent>> GetTimelineAsync(string incidentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TimelineRow>(new CommandDefinition(
            $"SELECT {TimelineRow.Columns} FROM timeline WHERE incident_id = @IncidentId ORDER BY at, seq",
            new { IncidentId = incidentId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEvent())];
    }

    /// <summary>Moves the incident to <paramref name="status"/> inside the caller's transaction; false when it is in that status already.</summary>
    private static async Task<bool> SetIncidentStatusAsync(DbConnection connection, DbTransaction transaction, string id, IncidentStatus status, DateTimeOffset at, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE incidents SET status = @Status, resolved_at = @ResolvedAt WHERE id = @Id AND status <> @Status",
            new
            {
                Id = id,
                Status = DbValues.Text(status),
                ResolvedAt = status == IncidentStatus.Resolved ? DbValues.ToMs(at) : (long?)null,
            },
            transaction,
            cancellationToken: cancellationToken)) > 0;

    private static async Task InsertTimelineAsync(DbConnection connection, DbTransaction? transaction, TimelineEvent entry, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO timeline (incident_id, at, kind, message, actor, milestone) VALUES (@IncidentId, @At, @Kind, @Message, @Actor, @Milestone)",
            new { entry.IncidentId, At = DbValues.ToMs(entry.At), entry.Kind, entry.Message, entry.Actor, entry.Milestone },
            transaction,
            cancellationToken: cancellationToken));
}
