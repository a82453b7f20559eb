using Dapper;
using Rewind.Core.Incidents;
using Rewind.Storage.Incidents;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public Task<bool> AcknowledgeIncidentAsync(TimelineEvent entry, CancellationToken cancellationToken = default) =>
        ChangeWithEntryAsync(
            "UPDATE incidents SET acknowledged_at = @At, acknowledged_by = @By WHERE id = @Id AND acknowledged_at IS NULL",
            new { Id = entry.IncidentId, At = DbValues.ToMs(entry.At), By = entry.Actor },
            entry,
            cancellationToken);

    public Task<bool> MoveIncidentAsync(IncidentStatus expected, IncidentStatus status, TimelineEvent entry, bool falsePositive = false, CancellationToken cancellationToken = default) =>
        ChangeWithEntryAsync(
            status == IncidentStatus.Resolved
                ? "UPDATE incidents SET status = @To, resolved_at = @At, false_positive = @FalsePositive WHERE id = @Id AND status = @From"
                : "UPDATE incidents SET status = @To WHERE id = @Id AND status = @From",
            new { Id = entry.IncidentId, From = DbValues.Text(expected), To = DbValues.Text(status), At = DbValues.ToMs(entry.At), FalsePositive = falsePositive },
            entry,
            cancellationToken);

    public Task<bool> MarkFalsePositiveAsync(TimelineEvent entry, CancellationToken cancellationToken = default) =>
        ChangeWithEntryAsync(
            "UPDATE incidents SET false_positive = @Yes WHERE id = @Id AND status = @Resolved AND false_positive = @No",
            new { Id = entry.IncidentId, Resolved = DbValues.Text(IncidentStatus.Resolved), Yes = true, No = false },
            entry,
            cancellationToken);

    public Task<bool> EscalateIncidentAsync(int level, TimelineEvent entry, CancellationToken cancellationToken = default) =>
        ChangeWithEntryAsync(
            "UPDATE incidents SET escalation_level = @Level WHERE id = @Id AND escalation_level < @Level AND status <> @Resolved",
            new { Id = entry.IncidentId, Level = level, Resolved = DbValues.Text(IncidentStatus.Resolved) },
            entry,
            cancellationToken);

    public Task<bool> RaiseIncidentSeverityAsync(Severity severity, TimelineEvent entry, CancellationToken cancellationToken = default) =>
        ChangeWithEntryAsync(
            "UPDATE incidents SET severity = @Severity WHERE id = @Id AND severity > @Severity AND status <> @Resolved",
            new { Id = entry.IncidentId, Severity = DbValues.Text(severity), Resolved = DbValues.Text(IncidentStatus.Resolved) },
            entry,
            cancellationToken);

    public async Task<IReadOnlyList<Incident>> GetOpenIncidentsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IncidentRow>(new CommandDefinition(
            $"SELECT {IncidentRow.Columns} FROM incidents WHERE status <> @Resolved ORDER BY opened_at, id",
            new { Resolved = DbValues.Text(IncidentStatus.Resolved) },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToIncident())];
    }
}
