using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>What to back up.</summary>
/// <param name="ConnectionString">A libpq connection string for <c>pg_basebackup -d</c>, e.g. <c>host=127.0.0.1 port=5432 user=postgres</c>; needs a replication-capable role.</param>
public sealed record BaseBackupRequest(string ConnectionString)
{
    /// <summary>The label PostgreSQL records in <c>backup_label</c>. Default <c>rewind</c>.</summary>
    public string Label { get; init; } = "rewind";

    /// <summary>
    /// Store only the files changed since the newest set (same timeline, PostgreSQL major version and key, chain intact)
    /// and reference the others; without such a set a full set is taken and <see cref="BaseBackupResult.WhyFull"/> says
    /// why. <c>pg_basebackup</c> still copies the whole cluster: what is saved is storage and upload. Default false.
    /// </summary>
    public bool Incremental { get; init; }

    /// <summary>The most incrementals a chain holds before an incremental request takes a full set instead; 0 = no limit. Default 0.</summary>
    public int MaxChain { get; init; }
}

/// <summary>What a base backup did; <see cref="Manifest"/> is set when it succeeded.</summary>
public sealed record BaseBackupResult(bool Succeeded, string Message, BackupManifest? Manifest)
{
    /// <summary>Time spent in <c>pg_basebackup</c> (checkpoint and copy).</summary>
    public TimeSpan CopyDuration { get; init; }

    /// <summary>Time spent hashing, compressing, encrypting and writing files into the repository.</summary>
    public TimeSpan StoreDuration { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Why an incremental was requested and a full set taken (no earlier set, another key, …); else <see langword="null"/>.</summary>
    public string? WhyFull { get; init; }
}
