using Rewind.Core.Signals;

namespace Rewind.Engine;

/// <summary>What the engine needs to know of its host beyond the config file.</summary>
public sealed class RewindEngineOptions
{
    /// <summary>
    /// The config file's path, given to <c>rewind wal fetch</c> when a restore replays WAL. Default null: such restores
    /// say they cannot run.
    /// </summary>
    public string? ConfigPath { get; init; }

    /// <summary>The rules by which the controller tells its own overload from the failure of a release (see <see cref="MonitorHealthOptions"/> for the defaults).</summary>
    public MonitorHealthOptions MonitorHealth { get; init; } = new();

    /// <summary>
    /// The SQLite store's file, beside which the disk reserve is kept (<c>rewind.db.reserve</c>). Default null: no
    /// reserve (a PostgreSQL store's disk is the database server's).
    /// </summary>
    public string? StoreFile { get; init; }

    /// <summary>
    /// Tells a write refused because the store's disk is full from any other failure; the store's driver knows.
    /// Default: never full.
    /// </summary>
    public Func<Exception, bool> IsDiskFull { get; init; } = _ => false;

    /// <summary>
    /// Tells a write refused because this replica's term as leader is over (the fence) from a failure of the store: it
    /// says nothing of the store's health. Default: only the fence's own refusal before the database is reached.
    /// </summary>
    public Func<Exception, bool> IsStaleLeader { get; init; } = ex => ex is Core.Leadership.StaleLeaderException;
}
