using System.Data.Common;

namespace Rewind.Storage.Sql;

/// <summary>
/// What differs between the databases Rewind stores into. Kept thin on purpose: the SQL itself is shared, and only
/// connections, migration locking, JSON parameters and error codes vary.
/// </summary>
internal interface ISqlDialect : IAsyncDisposable
{
    /// <summary>Folder under <c>Migrations/</c> holding this dialect's scripts.</summary>
    string MigrationFolder { get; }

    /// <summary>
    /// How many rows one multi-row INSERT carries. SQLite finds each named parameter by a linear search, so a statement
    /// with many costs more per row; PostgreSQL pays a round trip per statement, so it takes larger ones.
    /// </summary>
    int RowsPerInsert { get; }

    /// <summary>Opens a connection from the pool, ready for use (pragmas applied).</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs outside any transaction before migrating (SQLite: journal mode).</summary>
    Task PrepareMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Serialises concurrent migrators for the rest of <paramref name="transaction"/>.</summary>
    Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Runs at the end of every migration, in its transaction (PostgreSQL: fences the tables that lack it).</summary>
    Task FinishMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>The SQL expression that stores the JSON text in <paramref name="parameter"/>.</summary>
    string JsonValue(string parameter);

    /// <summary>
    /// The condition "<paramref name="column"/> is one of the list in <paramref name="parameter"/>". Dapper expands
    /// lists for SQLite but passes them to Npgsql as one array parameter.
    /// </summary>
    string InList(string column, string parameter);

    bool IsUniqueViolation(Exception exception);
}
