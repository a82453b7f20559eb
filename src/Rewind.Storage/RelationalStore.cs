using Dapper;
using Polly;
using Rewind.Core.Storage;
using Rewind.Storage.Sql;
using System.Data.Common;

namespace Rewind.Storage;

/// <summary>
/// The one implementation of <see cref="IStore"/>: shared SQL over a thin <see cref="ISqlDialect"/>. Every operation
/// takes a fresh pooled connection, and every multi-row write is one transaction, so a crash never leaves half a record.
/// </summary>
internal sealed partial class RelationalStore : IStore, IAsyncDisposable
{
    private readonly ISqlDialect _dialect;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _createRetry;
    private readonly ResiliencePipeline _auditRetry;

    public RelationalStore(ISqlDialect dialect, TimeProvider timeProvider)
    {
        _dialect = dialect;
        _timeProvider = timeProvider;
        _createRetry = UniqueViolationRetry(dialect, timeProvider, MaxCreateAttempts, TimeSpan.Zero);
        _auditRetry = UniqueViolationRetry(dialect, timeProvider, AuditAppendAttempts, TimeSpan.FromMilliseconds(3));
    }

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var migrations = Migration.Load(_dialect.MigrationFolder);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await _dialect.PrepareMigrationAsync(connection, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await _dialect.LockMigrationsAsync(connection, transaction, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)",
            transaction: transaction,
            cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (@Version, @AppliedAt)",
                new { migration.Version, AppliedAt = DbValues.ToMs(_timeProvider.GetUtcNow()) },
                transaction,
                cancellationToken: cancellationToken));
        }

        await _dialect.FinishMigrationAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var started = _timeProvider.GetTimestamp();
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
        return _timeProvider.GetElapsedTime(started);
    }

    /// <summary>The versions recorded in <c>schema_migrations</c>, ascending.</summary>
    internal async Task<IReadOnlyList<int>> GetAppliedMigrationsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var versions = await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations ORDER BY version", cancellationToken: cancellationToken));
        return [.. versions];
    }

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    /// <summary>Runs <paramref name="work"/> in one write transaction; commits when it returns, rolls back when it throws.</summary>
    private async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// A conditional update and the timeline entry that records it, together or not at all: false, with nothing written,
    /// when the update changes no row. The entry is inserted last, just before the commit, so the notification tail
    /// never sees its sequence number held open for long by this transaction.
    /// </summary>
    private Task<bool> ChangeWithEntryAsync(string update, object parameters, Core.Incidents.TimelineEvent? entry, CancellationToken cancellationToken) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                if (await connection.ExecuteAsync(new CommandDefinition(update, parameters, transaction, cancellationToken: cancellationToken)) == 0)
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

    /// <summary>The next number of <paramref name="prefix"/>'s day, counted atomically inside the caller's transaction.</summary>
    private static async Task<string> NextDailyIdAsync(DbConnection connection, DbTransaction transaction, string prefix, DateTimeOffset at, CancellationToken cancellationToken)
    {
        const string Sql = """
            INSERT INTO id_counters (prefix, day, value) VALUES (@Prefix, @Day, 1)
            ON CONFLICT (prefix, day) DO UPDATE SET value = id_counters.value + 1
            RETURNING value
            """;
        var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            Sql, new { Prefix = prefix, Day = Core.Incidents.DailyId.DayKey(at) }, transaction, cancellationToken: cancellationToken));
        return Core.Incidents.DailyId.Format(prefix, Core.Incidents.DailyId.Day(at), number);
    }
}
