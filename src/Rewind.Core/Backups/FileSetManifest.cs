namespace Rewind.Core.Backups;

/// <summary>
/// One file backup set: every directory, file and symbolic link under the declared paths, each file with its checksum.
/// Paths are the absolute source paths without the leading '/', e.g. <c>srv/uploads/a.png</c>, so several declared
/// paths never collide and a restore into a new directory recreates them beneath it.
/// </summary>
/// <param name="SetId">Sortable UTC timestamp (as <see cref="BackupSetId"/>); also the directory name under <c>files/</c>.</param>
/// <param name="Started">When the copy started.</param>
/// <param name="Finished">When the last file was stored.</param>
/// <param name="KeyId">The key id (hex) when the files are encrypted, else <see langword="null"/>.</param>
/// <param name="Paths">The declared paths as they were given (absolute).</param>
/// <param name="Directories">Every directory with its mode, parents first.</param>
/// <param name="Files">Every regular file, sorted by path.</param>
/// <param name="Links">Every symbolic link with its target, as written (never followed).</param>
public sealed record FileSetManifest(
    string SetId,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    string? KeyId,
    IReadOnlyList<string> Paths,
    IReadOnlyList<ManifestDirectory> Directories,
    IReadOnlyList<ManifestFile> Files,
    IReadOnlyList<ManifestLink> Links)
{
    /// <summary>The repository format this manifest was written in; readers refuse newer formats.</summary>
    public int Format { get; init; } = 1;

    public long TotalSize => Files.Sum(file => file.Size);

    public long TotalStoredSize => Files.Sum(file => file.StoredSize);
}

/// <summary>A symbolic link of a file backup: restored as a link with the same target, whatever it points to.</summary>
public sealed record ManifestLink(string Path, string Target);
