using Dapper;
using Npgsql;
using Rewind.Core.Leadership;
using System.Data.Common;

namespace Rewind.Storage.Sql;

/// <summary>
/// The production store: pooled through one <see cref="NpgsqlDataSource"/>; migrations serialised by an advisory lock.
/// A connection opened under a leader's term (<see cref="WriteFence.Current"/>) comes from a pool of that term's own,
/// whose sessions carry the epoch (<c>rewind.epoch</c>), so every write they make is fenced in its transaction.
/// </summary>
internal sealed class PostgresDialect : ISqlDialect
{
    /// <summary>Advisory lock key of Rewind's migrations ("rewind" in ASCII), shared by every replica.</summary>
    private const long MigrationLockKey = 0x72_65_77_69_6E_64;

    /// <summary>
    /// A fenced session idle inside a transaction this long is ended by the server: a leader paused mid-transaction
    /// (SIGSTOP, a frozen VM) holds the lease row FOR KEY SHARE, and a takeover must not wait for it for ever.
    /// </summary>
    private const int FencedIdleInTransactionMs = 3000;

    private readonly string _connectionString;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Lock _gate = new();
    private (long Epoch, NpgsqlDataSource Source)? _fenced;
    private NpgsqlDataSource? _previous;

    public PostgresDialect(string connectionString)
    {
        _connectionString = connectionString;
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string MigrationFolder => "Postgres";

    public int RowsPerInsert => 200;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (WriteFence.Current is not { } term)
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }

        if (term.IsOver)
        {
            throw new StaleLeaderException($"the term of {term} is over: this replica no longer writes as leader");
        }

        return await FencedSource(term).OpenConnectionAsync(cancellationToken);
    }

    public Task PrepareMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@Key)", new { Key = MigrationLockKey }, transaction, cancellationToken: cancellationToken));

    public Task FinishMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT rewind_install_fences()", transaction: transaction, cancellationToken: cancellationToken));

    public string JsonValue(string parameter) => $"CAST({parameter} AS jsonb)";

    public string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        NpgsqlDataSource? fenced;
        NpgsqlDataSource? previous;
        lock (_gate)
        {
            fenced = _fenced?.Source;
            previous = _previous;
            _fenced = null;
            _previous = null;
        }

        if (fenced is not null)
        {
            await fenced.DisposeAsync();
        }

        if (previous is not null)
        {
            await previous.DisposeAsync();
        }
    }

    /// <summary>The term's pool, made on its first write. The pool of the term before is kept until the next one, then closed.</summary>
    private NpgsqlDataSource FencedSource(LeaderTerm term)
    {
        lock (_gate)
        {
            if (_fenced is { } current && current.Epoch == term.Epoch)
            {
                return current.Source;
            }

            _previous?.Dispose();
            _previous = _fenced?.Source;
            var builder = new NpgsqlConnectionStringBuilder(_connectionString);
            builder.ApplicationName = LeaderSessions.ApplicationName(term.Epoch, term.Replica);
            builder.Options = $"{builder.Options} -c rewind.epoch={term.Epoch} -c idle_in_transaction_session_timeout={FencedIdleInTransactionMs}".Trim();
            var sourceBuilder = new NpgsqlDataSourceBuilder(builder.ConnectionString);
            // The store's columns are all of built-in types: skip reading the server's type catalogue, which a new
            // leader's first write would otherwise wait for, on a host that is busy taking over.
            sourceBuilder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
            var source = sourceBuilder.Build();
            _fenced = (term.Epoch, source);
            return source;
        }
    }
}
