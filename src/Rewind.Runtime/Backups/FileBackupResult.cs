using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>What to copy.</summary>
/// <param name="Paths">Absolute paths of directories (copied with everything beneath) or single files; none may overlap the repository.</param>
public sealed record FileBackupRequest(IReadOnlyList<string> Paths);

/// <summary>What a file backup did; <see cref="Manifest"/> is set when it succeeded.</summary>
public sealed record FileBackupResult(bool Succeeded, string Message, FileSetManifest? Manifest)
{
    /// <summary>
    /// Entries left out, with the reason: FIFOs, sockets and devices (never opened), and files removed while the backup
    /// ran. Paths are relative, as in the manifest.
    /// </summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    public TimeSpan Duration { get; init; }
}

/// <summary>Where to restore a file backup set.</summary>
/// <param name="Destination">A directory that does not exist or is empty, outside the repository; the set's paths are recreated beneath it.</param>
public sealed record FileRestoreRequest(string Destination)
{
    /// <summary>The set. Default: the newest.</summary>
    public string? SetId { get; init; }
}

/// <summary>What a file restore did. When it failed, the destination is as it was.</summary>
public sealed record FileRestoreResult(bool Succeeded, string Message)
{
    public string? SetId { get; init; }

    public TimeSpan Duration { get; init; }
}
