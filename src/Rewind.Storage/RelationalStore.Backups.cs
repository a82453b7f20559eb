using Dapper;
using Rewind.Core.Backups;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public Task RecordBackupRunAsync(BackupRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return ExecuteAsync(
            """
            INSERT INTO backup_runs (component, kind, started_at, finished_at, succeeded, summary)
            VALUES (@Component, @Kind, @StartedAt, @FinishedAt, @Succeeded, @Summary)
            ON CONFLICT (component, kind, started_at) DO UPDATE SET finished_at = excluded.finished_at, succeeded = excluded.succeeded, summary = excluded.summary
            """,
            new { run.Component, run.Kind, StartedAt = DbValues.ToMs(run.StartedAt), FinishedAt = DbValues.ToMs(run.FinishedAt), Succeeded = run.Succeeded ? 1 : 0, run.Summary },
            cancellationToken);
    }

    public Task<IReadOnlyList<BackupRun>> GetBackupRunsAsync(string component, int limit, CancellationToken cancellationToken = default) =>
        QueryBackupRunsAsync("component = @Component", new { Component = component, Limit = limit }, cancellationToken);

    public Task<IReadOnlyList<BackupRun>> GetBackupRunsOfKindAsync(string component, string kind, int limit, CancellationToken cancellationToken = default) =>
        QueryBackupRunsAsync("component = @Component AND kind = @Kind", new { Component = component, Kind = kind, Limit = limit }, cancellationToken);

    private async Task<IReadOnlyList<BackupRun>> QueryBackupRunsAsync(string where, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Component, string Kind, long StartedAt, long FinishedAt, long Succeeded, string Summary)>(new CommandDefinition(
            $"SELECT component, kind, started_at, finished_at, succeeded, summary FROM backup_runs WHERE {where} ORDER BY started_at DESC LIMIT @Limit",
            parameters,
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new BackupRun(r.Component, r.Kind, DbValues.FromMs(r.StartedAt), DbValues.FromMs(r.FinishedAt), r.Succeeded != 0, r.Summary))];
    }
}
