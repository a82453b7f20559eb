namespace Rewind.Runtime.Backups;

/// <summary>What a quick verification checks.</summary>
public sealed record VerificationRequest
{
    /// <summary>The set to check (a base backup, dump or file set id). Default <see langword="null"/>: every set.</summary>
    public string? SetId { get; init; }

    /// <summary>The newest set older than this is an error (schedule compliance). Default <see langword="null"/>: no limit.</summary>
    public TimeSpan? MaxBackupAge { get; init; }

    /// <summary>The newest archived WAL older than this is an error (archiving stalled). Default <see langword="null"/>: no limit.</summary>
    public TimeSpan? MaxWalAge { get; init; }

    /// <summary>Recompute the checksum of every archived WAL file too, not only of the sets. Default <see langword="true"/>.</summary>
    public bool CheckWalContent { get; init; } = true;

    /// <summary>
    /// A repository without a base backup is an error. Default <see langword="true"/>; false for a repository that holds
    /// only dumps or file backups (a component that is not a cluster, or one backed up by logical dumps alone).
    /// </summary>
    public bool RequireBaseBackup { get; init; } = true;
}
