namespace Rewind.Runtime.Backups;

/// <summary>What a quick verification checks.</summary>
public sealed record VerificationRequest
{
    /// <summary>The set to check. Default <see langword="null"/>: every set.</summary>
    public string? SetId { get; init; }

    /// <summary>The newest set older than this is an error (schedule compliance). Default <see langword="null"/>: no limit.</summary>
    public TimeSpan? MaxBackupAge { get; init; }

    /// <summary>The newest archived WAL older than this is an error (archiving stalled). Default <see langword="null"/>: no limit.</summary>
    public TimeSpan? MaxWalAge { get; init; }

    /// <summary>Recompute the checksum of every archived WAL file too, not only of the sets. Default <see langword="true"/>.</summary>
    public bool CheckWalContent { get; init; } = true;
}
