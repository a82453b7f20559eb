using Npgsql;
using Rewind.Core.Configuration;
using Rewind.Core.Storage;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

/// <summary>Opens Rewind's store from the one-line location operators write in <c>rewind.yaml</c>.</summary>
public static class StoreFactory
{
    private const string SqlitePrefix = "sqlite:";

    /// <summary>
    /// Opens <c>sqlite:/abs/path.db</c> (the embedded default; relative paths are resolved against the working directory)
    /// or <c>postgres://user:pass@host:port/db</c> (also <c>postgresql://</c>; user and password URL-decoded, query
    /// options passed to Npgsql). The store is not migrated: call <see cref="IStore.MigrateAsync"/> at start.
    /// The returned store is <see cref="IAsyncDisposable"/>; disposing it releases its connection pool.
    /// </summary>
    public static IStore Open(string store, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        var time = timeProvider ?? TimeProvider.System;
        if (store.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return new RelationalStore(new SqliteDialect(SqlitePath(store[SqlitePrefix.Length..])), time);
        }

        if (PostgresUrl.HasScheme(store))
        {
            return new RelationalStore(new PostgresDialect(ConnectionString(store)), time);
        }

        throw new ArgumentException("store must be sqlite:/path/to/rewind.db or postgres://user:pass@host:port/database", nameof(store));
    }

    /// <summary>
    /// The leader lease of the store at <paramref name="store"/>, held in the name of <paramref name="replica"/>: shared by
    /// every replica of a PostgreSQL store (<paramref name="ttl"/> long per taking or renewal); a SQLite store's is
    /// always its one controller's.
    /// </summary>
    public static Core.Leadership.ILeaderLease OpenLease(string store, string replica, TimeSpan ttl, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        return PostgresUrl.HasScheme(store)
            ? new PostgresLease(ConnectionString(store), replica, ttl)
            : new SoleLease(replica, timeProvider ?? TimeProvider.System);
    }

    /// <summary>True when <paramref name="error"/> is a write refused because its leader's term is over (the fence).</summary>
    public static bool IsStaleLeader(Exception? error) => error switch
    {
        null => false,
        Core.Leadership.StaleLeaderException => true,
        PostgresException { SqlState: "RW001" } => true,
        _ => IsStaleLeader(error.InnerException),
    };

    /// <summary>The full path of a <c>sqlite:</c> store's file; null for another store.</summary>
    public static string? SqliteFile(string store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        return store.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) ? SqlitePath(store[SqlitePrefix.Length..]) : null;
    }

    /// <summary>
    /// True when <paramref name="error"/> says the store itself cannot serve (unreachable, shut down, out of disk or
    /// connections, its file unreadable or read-only), as opposed to a fault of the request or of Rewind's code: the
    /// API answers 503 <c>store unavailable</c> and background loops log it once, not on every tick.
    /// </summary>
    public static bool IsUnavailable(Exception? error) => error switch
    {
        null => false,
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || pg.SqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources: disk full, out of memory, too many connections
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) // admin or crash shutdown, cannot connect now
            || pg.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction, // a standby, or a primary demoted under us
        NpgsqlException => true, // not a PostgresException: the server was never reached or the connection broke
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 8 or 10 or 13 or 14 } => true, // READONLY, IOERR, FULL, CANTOPEN
        _ => IsUnavailable(error.InnerException),
    };

    /// <summary>True when <paramref name="error"/> says the store's disk is full (SQLite's SQLITE_FULL, ENOSPC, PostgreSQL's disk_full).</summary>
    public static bool IsDiskFull(Exception? error) => error switch
    {
        null => false,
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 } => true, // SQLITE_FULL
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } => true,
        IOException io when (io.HResult & 0xFFFF) == 28 => true, // ENOSPC
        _ => IsDiskFull(error.InnerException),
    };

    /// <summary>The Npgsql connection string of a postgres:// store URL; unknown URL options are an error here, at start.</summary>
    internal static string ConnectionString(string url)
    {
        var parsed = PostgresUrl.TryParse(url, out var u) ? u : throw new ArgumentException("store URL must look like postgres://user:pass@host:port/database", nameof(url));
        return parsed.WriteTo(new NpgsqlConnectionStringBuilder()).ConnectionString;
    }

    private static string SqlitePath(string location)
    {
        // Accept the URL spelling sqlite:///abs/path.db as well as sqlite:/abs/path.db.
        var path = location.StartsWith("//", StringComparison.Ordinal) ? location[2..] : location;
        if (path.Length == 0)
        {
            throw new ArgumentException("sqlite store needs a file path: sqlite:/path/to/rewind.db", nameof(location));
        }

        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return full;
    }
}
