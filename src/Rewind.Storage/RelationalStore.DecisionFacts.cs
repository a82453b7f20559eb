using System.Collections.Concurrent;
using Dapper;
using Rewind.Core.Policies;
using Rewind.Core.Releases;
using Rewind.Storage.Policies;
using Rewind.Storage.Releases;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

/// <summary>
/// The facts the decision engine holds in memory, read in bulk, and the count of this store's own writes that change
/// them (see <see cref="Core.Storage.IDecisionFactStore"/>): each such write counts once committed, so a reader that
/// read before it sees a changed count and reads again.
/// </summary>
internal sealed partial class RelationalStore
{
    private readonly ConcurrentDictionary<string, long> _factChanges = new(StringComparer.Ordinal);

    public long ChangesOf(string component) => _factChanges.GetValueOrDefault(component);

    public async Task<IReadOnlyList<Release>> GetCurrentReleasesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReleaseRow>(new CommandDefinition(
            $"""
            SELECT {ReleaseRow.Columns} FROM releases
            WHERE EXISTS (SELECT 1 FROM components c WHERE c.name = releases.component AND c.current_version = releases.version)
            """,
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRelease())];
    }

    public async Task<IReadOnlyList<MaintenanceWindow>> GetMaintenanceWindowsAsync(DateTimeOffset at, string? component = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MaintenanceWindowRow>(new CommandDefinition(
            $"""
            SELECT {MaintenanceWindowRow.Columns} FROM maintenance_windows
            WHERE ends_at > @At {(component is null ? "" : "AND component = @Component")}
            ORDER BY component, starts_at
            """,
            new { At = DbValues.ToMs(at), Component = component },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToWindow())];
    }

    /// <summary>Runs a write that changes <paramref name="component"/>'s facts and counts it once it is done, committed or not.</summary>
    private async Task<T> ChangingAsync<T>(string component, Task<T> write)
    {
        try
        {
            return await write;
        }
        finally
        {
            _factChanges.AddOrUpdate(component, 1, (_, n) => n + 1);
        }
    }

    private async Task ChangingAsync(string component, Task write)
    {
        try
        {
            await write;
        }
        finally
        {
            _factChanges.AddOrUpdate(component, 1, (_, n) => n + 1);
        }
    }

    /// <summary>Counts a change of the component of rollback <paramref name="id"/> (a write that names only the rollback).</summary>
    private async Task<T> ChangingRollbackAsync<T>(string id, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        string? component;
        await using (var connection = await _dialect.OpenAsync(cancellationToken))
        {
            component = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT component FROM rollbacks WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        }

        return component is null ? await write() : await ChangingAsync(component, write());
    }
}
