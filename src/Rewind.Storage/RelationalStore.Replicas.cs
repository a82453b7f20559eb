using Dapper;
using Rewind.Core.Storage;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public Task SaveReplicaAsync(ReplicaRecord replica, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replica);
        return ExecuteAsync(
            """
            INSERT INTO controller_replicas (name, host, pid, version, listen, started_at, seen_at)
            VALUES (@Name, @Host, @Pid, @Version, @Listen, @StartedAt, @SeenAt)
            ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid, version = excluded.version,
                listen = excluded.listen, started_at = excluded.started_at, seen_at = excluded.seen_at
            """,
            new
            {
                replica.Name,
                replica.Host,
                replica.Pid,
                replica.Version,
                replica.Listen,
                StartedAt = DbValues.ToMs(replica.StartedAt),
                SeenAt = DbValues.ToMs(replica.SeenAt),
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<ReplicaRecord>> GetReplicasAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReplicaRow>(new CommandDefinition(
            "SELECT name, host, pid, version, listen, started_at AS StartedAt, seen_at AS SeenAt FROM controller_replicas ORDER BY name",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ReplicaRecord(r.Name, r.Host, (int)r.Pid, r.Version, r.Listen, DbValues.FromMs(r.StartedAt), DbValues.FromMs(r.SeenAt)))];
    }

    public Task RemoveReplicaAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM controller_replicas WHERE name = @Name", new { Name = name }, cancellationToken);

    /// <summary>A <c>controller_replicas</c> row as Dapper reads it.</summary>
    private sealed class ReplicaRow
    {
        public string Name { get; set; } = "";

        public string Host { get; set; } = "";

        public long Pid { get; set; }

        public string Version { get; set; } = "";

        public string? Listen { get; set; }

        public long StartedAt { get; set; }

        public long SeenAt { get; set; }
    }
}
