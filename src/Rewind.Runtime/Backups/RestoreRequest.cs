using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>What to restore, where, and how to check it before it replaces the live data directory.</summary>
/// <param name="DataDirectory">The live data directory. It is never written to: the restore goes to a new directory beside it.</param>
/// <param name="Target">Where WAL replay stops.</param>
/// <param name="FetchCommand">
/// The argument vector that fetches one archived file, to which <c>%f "%p"</c> is appended to form
/// <c>restore_command</c>, e.g. <c>["/usr/bin/rewind", "wal", "fetch"]</c>. PostgreSQL runs it through /bin/sh as the
/// cluster's user; arguments with a quote, backslash or control character are refused.
/// </param>
public sealed record RestoreRequest(string DataDirectory, RestoreTarget Target, IReadOnlyList<string> FetchCommand)
{
    /// <summary>The set to start from. Default <see langword="null"/>: the newest set that finished before the target.</summary>
    public string? SetId { get; init; }

    /// <summary>
    /// How to connect to the restored server for the recovery check and <see cref="VerificationQueries"/> (user,
    /// database, password); host and port are set by the restore. Default: user and database <c>postgres</c>.
    /// </summary>
    public string ConnectionString { get; init; } = "Username=postgres;Database=postgres";

    /// <summary>Queries run on the restored server after recovery; each must succeed and must not return <c>false</c> or NULL.</summary>
    public IReadOnlyList<string> VerificationQueries { get; init; } = [];

    /// <summary>How long WAL replay may take. Default: 1 hour.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Put the verified restore in place of <see cref="DataDirectory"/> (the live one must be stopped by then). Default
    /// <see langword="true"/>; <see langword="false"/> leaves it beside the live one (full verification, manual swaps).
    /// </summary>
    public bool SwapIntoPlace { get; init; } = true;

    /// <summary>Extra server settings for the recovery run (<c>-c key=value</c>), e.g. a smaller <c>shared_buffers</c>.</summary>
    public IReadOnlyDictionary<string, string> ServerSettings { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
