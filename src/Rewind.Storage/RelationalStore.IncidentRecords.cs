using Dapper;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Storage.Incidents;
using Rewind.Storage.Runbooks;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public async Task<IncidentRecord?> GetIncidentRecordAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await GetIncidentAsync(id, cancellationToken) is not { } incident)
        {
            return null;
        }

        var timeline = await GetTimelineAsync(id, cancellationToken);
        var rollbacks = await QueryRollbacksAsync(
            $"SELECT {RollbackRow.Columns} FROM rollbacks WHERE incident_id = @Id ORDER BY requested_at, id", new { Id = id }, cancellationToken);
        var release = incident.Release is { } version ? await GetReleaseAsync(incident.Component, version, cancellationToken) : null;
        return new IncidentRecord(incident, timeline, rollbacks, release);
    }

    public async Task<IReadOnlyList<IncidentRecord>> GetIncidentRecordsAsync(DateTimeOffset since, DateTimeOffset until, string? component = null, CancellationToken cancellationToken = default)
    {
        // Spelled out in every query below; inside the subqueries the unqualified columns are the incidents'.
        var window = "opened_at >= @Since AND opened_at < @Until" + (component is null ? "" : " AND component = @Component");
        var parameters = new { Since = DbValues.ToMs(since), Until = DbValues.ToMs(until), Component = component };
        List<Incident> incidents;
        ILookup<string, TimelineEvent> timelines;
        await using (var connection = await _dialect.OpenAsync(cancellationToken))
        {
            incidents = [.. (await connection.QueryAsync<IncidentRow>(new CommandDefinition(
                $"SELECT {IncidentRow.Columns} FROM incidents WHERE {window} ORDER BY opened_at, id", parameters, cancellationToken: cancellationToken)))
                .Select(r => r.ToIncident())];
            if (incidents.Count == 0)
            {
                return [];
            }

            timelines = (await connection.QueryAsync<TimelineRow>(new CommandDefinition(
                $"SELECT {TimelineRow.Columns} FROM timeline WHERE incident_id IN (SELECT id FROM incidents WHERE {window}) ORDER BY at, seq",
                parameters,
                cancellationToken: cancellationToken)))
                .Select(r => r.ToEvent())
                .ToLookup(e => e.IncidentId, StringComparer.Ordinal);
        }

        var rollbacks = (await QueryRollbacksAsync(
            $"SELECT {RollbackRow.Columns} FROM rollbacks WHERE incident_id IN (SELECT id FROM incidents WHERE {window}) ORDER BY requested_at, id",
            parameters,
            cancellationToken)).ToLookup(r => r.IncidentId ?? "", StringComparer.Ordinal);
        var releases = new Dictionary<(string, string), Release>();
        foreach (var name in incidents.Select(i => i.Component).Distinct(StringComparer.Ordinal))
        {
            foreach (var release in await GetReleasesAsync(name, cancellationToken))
            {
                releases[(release.Component, release.Version)] = release;
            }
        }

        return [.. incidents.Select(i => new IncidentRecord(
            i,
            [.. timelines[i.Id]],
            [.. rollbacks[i.Id]],
            i.Release is { } version ? releases.GetValueOrDefault((i.Component, version)) : null))];
    }
}
