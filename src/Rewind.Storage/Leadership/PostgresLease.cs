using Dapper;
using Npgsql;
using Rewind.Core.Leadership;

namespace Rewind.Storage;

/// <summary>
/// The leader lease on PostgreSQL: the row <c>controller_lease</c>, read and written through one database session of
/// this replica's own (not pooled). The holder's session is part of the lease: when it ends (the process died, the
/// connection broke) another replica takes over at once, without waiting for the lease to run out.
/// </summary>
internal sealed class PostgresLease : ILeaderLease
{
    private const string Channel = "rewind_lease";

    // Released, run out, or its holder's session ended (its process died); or held through this very session, by a
    // replica whose term ended on its own (it could not renew in time on a slow host): it takes a new epoch at once
    // rather than leave the store without a leader until its own lease runs out.
    private const string Free = """
        (holder IS NULL OR expires_at IS NULL OR expires_at <= clock_timestamp()
            OR (holder = @Replica AND backend_pid = pg_backend_pid())
            OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = controller_lease.backend_pid AND a.backend_start = controller_lease.backend_start))
        """;

    // Looked at without a lock first: followers asking five times a second must not queue on the row the leader renews.
    private const string IsFreeSql = $"SELECT {Free} FROM controller_lease WHERE id = 1";

    private const string TakeSql = $"""
        SET LOCAL lock_timeout = '1s';
        UPDATE controller_lease SET holder = @Replica, epoch = epoch + 1, backend_pid = pg_backend_pid(),
            backend_start = (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()),
            acquired_at = clock_timestamp(), renewed_at = clock_timestamp(),
            expires_at = clock_timestamp() + make_interval(secs => @TtlMs / 1000.0)
        WHERE id = 1 AND {Free}
        RETURNING epoch
        """;

    // Ends the sessions of earlier terms that are inside a transaction: a paused leader's holds the lease row FOR KEY SHARE
    // and may be about to commit. Idle ones are left alone: the fence refuses whatever they are asked to write next.
    private const string EndOldSessionsSql = """
        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
        WHERE pid <> pg_backend_pid() AND application_name LIKE 'rewind-leader:%' AND state <> 'idle'
          AND split_part(application_name, ':', 2) ~ '^[0-9]+$' AND split_part(application_name, ':', 2)::bigint < @Epoch
        """;

    private const string RenewSql = """
        UPDATE controller_lease SET renewed_at = clock_timestamp(), expires_at = clock_timestamp() + make_interval(secs => @TtlMs / 1000.0)
        WHERE id = 1 AND epoch = @Epoch AND holder = @Replica AND backend_pid = pg_backend_pid() AND expires_at > clock_timestamp()
        RETURNING epoch
        """;

    private const string ReleaseSql = """
        UPDATE controller_lease SET holder = NULL, expires_at = clock_timestamp(), renewed_at = clock_timestamp()
        WHERE id = 1 AND epoch = @Epoch AND holder = @Replica
        """;

    private const string ReadSql = """
        SELECT holder AS Holder, epoch AS Epoch, acquired_at AS AcquiredAt, renewed_at AS RenewedAt, expires_at AS ExpiresAt,
               clock_timestamp() AS DatabaseNow
        FROM controller_lease WHERE id = 1
        """;

    private readonly string _sessionConnectionString;
    private readonly NpgsqlDataSource _reads;
    private readonly string _replica;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _session;

    public PostgresLease(string connectionString, string replica, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(replica);
        _replica = replica;
        Ttl = ttl;
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = LeaderSessions.LeaseSession(replica),
            Timeout = Math.Max(1, (int)Math.Ceiling(ttl.TotalSeconds / 4)),
            KeepAlive = Math.Max(1, (int)Math.Ceiling(ttl.TotalSeconds / 4)),
        };
        _sessionConnectionString = builder.ConnectionString;
        _reads = NpgsqlDataSource.Create(connectionString);
    }

    public TimeSpan Ttl { get; }

    public bool IsShared => true;

    public Task<long?> TryTakeAsync(CancellationToken cancellationToken) =>
        OnSessionAsync(
            async session =>
            {
                if (!await session.ExecuteScalarAsync<bool>(new CommandDefinition(IsFreeSql, new { Replica = _replica }, cancellationToken: cancellationToken)))
                {
                    return null;
                }

                long? epoch;
                await using (var transaction = await session.BeginTransactionAsync(cancellationToken))
                {
                    epoch = await session.ExecuteScalarAsync<long?>(new CommandDefinition(
                        TakeSql, new { Replica = _replica, TtlMs = Ttl.TotalMilliseconds }, transaction, cancellationToken: cancellationToken));
                    await transaction.CommitAsync(cancellationToken);
                }

                if (epoch is { } taken)
                {
                    await EndOldSessionsAsync(session, taken, cancellationToken);
                }

                return epoch;
            },
            cancellationToken);

    public Task<bool> RenewAsync(long epoch, CancellationToken cancellationToken) =>
        OnSessionAsync(
            async session => await session.ExecuteScalarAsync<long?>(new CommandDefinition(
                RenewSql, new { Epoch = epoch, Replica = _replica, TtlMs = Ttl.TotalMilliseconds }, cancellationToken: cancellationToken)) is not null,
            cancellationToken);

    public Task ReleaseAsync(long epoch, CancellationToken cancellationToken) =>
        OnSessionAsync(
            async session =>
            {
                await session.ExecuteAsync(new CommandDefinition(
                    $"{ReleaseSql}; NOTIFY {Channel}", new { Epoch = epoch, Replica = _replica }, cancellationToken: cancellationToken));
                return true;
            },
            cancellationToken);

    public async Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var session = await SessionAsync(cancellationToken);
            await session.WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await DropSessionAsync(); // the next call opens a new one
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<LeaseView> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _reads.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<LeaseRow>(new CommandDefinition(ReadSql, cancellationToken: cancellationToken));
        return new LeaseView(row.Holder, row.Epoch, row.AcquiredAt, row.RenewedAt, row.ExpiresAt, row.DatabaseNow);
    }

    public async ValueTask DisposeAsync()
    {
        await DropSessionAsync();
        await _reads.DisposeAsync();
        _gate.Dispose();
    }

    private static async Task EndOldSessionsAsync(NpgsqlConnection session, long epoch, CancellationToken cancellationToken)
    {
        try
        {
            await session.ExecuteScalarAsync<long>(new CommandDefinition(EndOldSessionsSql, new { Epoch = epoch }, cancellationToken: cancellationToken));
        }
        catch (PostgresException)
        {
            // not allowed to end them (another role): the fence still refuses their writes, and the server ends a
            // session idle in a transaction after a few seconds
        }
    }

    /// <summary>One call on the lease session at a time; a session that failed is dropped, so the next call opens a new one.</summary>
    private async Task<T> OnSessionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var session = await SessionAsync(cancellationToken);
            return await work(session);
        }
        catch
        {
            await DropSessionAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<NpgsqlConnection> SessionAsync(CancellationToken cancellationToken)
    {
        if (_session is { State: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        await DropSessionAsync();
        var session = new NpgsqlConnection(_sessionConnectionString);
        await session.OpenAsync(cancellationToken);
        await session.ExecuteAsync(new CommandDefinition($"LISTEN {Channel}", cancellationToken: cancellationToken));
        _session = session;
        return session;
    }

    private async Task DropSessionAsync()
    {
        if (_session is { } session)
        {
            _session = null;
            await session.DisposeAsync();
        }
    }

    private sealed class LeaseRow
    {
        public string? Holder { get; set; }

        public long Epoch { get; set; }

        public DateTimeOffset? AcquiredAt { get; set; }

        public DateTimeOffset? RenewedAt { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }

        public DateTimeOffset DatabaseNow { get; set; }
    }
}
