using Dapper;
using Microsoft.Data.Sqlite;
using System.Data.Common;

namespace Rewind.Storage.Sql;

/// <summary>The embedded store: one file, WAL journal, writers serialised by <c>BEGIN IMMEDIATE</c> and a busy timeout.</summary>
internal sealed class SqliteDialect : ISqlDialect
{
    /// <summary>How long a writer waits for another one before SQLITE_BUSY; generous because writes are short.</summary>
    private const int BusyTimeoutMs = 30_000;

    /// <summary>SQLITE_CONSTRAINT: the primary result code of unique, primary key and foreign key violations.</summary>
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    private readonly string _connectionString;

    public SqliteDialect(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
    }

    public string MigrationFolder => "Sqlite";

    public int RowsPerInsert => 16;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {BusyTimeoutMs};", cancellationToken: cancellationToken));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task PrepareMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken));

    // Microsoft.Data.Sqlite begins transactions with BEGIN IMMEDIATE: the write lock is already held.
    public Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public Task FinishMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask; // one controller: nothing to fence

    public string JsonValue(string parameter) => parameter;

    public string InList(string column, string parameter) => $"{column} IN {parameter}";

    /// <summary>A unique or primary key constraint, not any constraint: a foreign key that fails is an error, not a repeat.</summary>
    public bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey };

    public ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
