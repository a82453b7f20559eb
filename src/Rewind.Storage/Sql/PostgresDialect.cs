using Dapper;
using Npgsql;
using System.Data.Common;

namespace Rewind.Storage.Sql;

/// <summary>The production store: pooled through one <see cref="NpgsqlDataSource"/>; migrations serialised by an advisory lock.</summary>
internal sealed class PostgresDialect : ISqlDialect
{
    /// <summary>Advisory lock key of Rewind's migrations ("rewind" in ASCII), shared by every replica.</summary>
    private const long MigrationLockKey = 0x72_65_77_69_6E_64;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string MigrationFolder => "Postgres";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public Task PrepareMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@Key)", new { Key = MigrationLockKey }, transaction, cancellationToken: cancellationToken));

    public string JsonValue(string parameter) => $"CAST({parameter} AS jsonb)";

    public string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
