using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>What to back up.</summary>
/// <param name="ConnectionString">A libpq connection string for <c>pg_basebackup -d</c>, e.g. <c>host=127.0.0.1 port=5432 user=postgres</c>; needs a replication-capable role.</param>
public sealed record BaseBackupRequest(string ConnectionString)
{
    /// <summary>The label PostgreSQL records in <c>backup_label</c>. Default <c>rewind</c>.</summary>
    public string Label { get; init; } = "rewind";
}

/// <summary>What a base backup did; <see cref="Manifest"/> is set when it succeeded.</summary>
public sealed record BaseBackupResult(bool Succeeded, string Message, BackupManifest? Manifest)
{
    /// <summary>Time spent in <c>pg_basebackup</c> (checkpoint and copy).</summary>
    public TimeSpan CopyDuration { get; init; }

    /// <summary>Time spent hashing, compressing, encrypting and writing files into the repository.</summary>
    public TimeSpan StoreDuration { get; init; }

    public TimeSpan Duration { get; init; }
}
