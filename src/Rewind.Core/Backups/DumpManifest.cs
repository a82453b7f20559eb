namespace Rewind.Core.Backups;

/// <summary>
/// One logical dump set: a <c>pg_dump -Fc</c> archive per database, each file with its checksum, and when it was taken.
/// </summary>
/// <param name="SetId">Sortable UTC timestamp (as <see cref="BackupSetId"/>); also the directory name under <c>dumps/</c>.</param>
/// <param name="Started">When the first dump started.</param>
/// <param name="Finished">When the last file was stored.</param>
/// <param name="ToolVersion">What <c>pg_dump --version</c> said: <c>pg_restore</c> must be at least this version.</param>
/// <param name="KeyId">The key id (hex) when the files are encrypted, else <see langword="null"/>.</param>
/// <param name="Files">One file per database, named <c>&lt;database&gt;.dump</c>, sorted by name.</param>
public sealed record DumpManifest(
    string SetId,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    string ToolVersion,
    string? KeyId,
    IReadOnlyList<ManifestFile> Files)
{
    public const string Extension = ".dump";

    /// <summary>The repository format this manifest was written in; readers refuse newer formats.</summary>
    public int Format { get; init; } = 1;

    public IEnumerable<string> Databases => Files.Select(file => file.Path[..^Extension.Length]);

    public long TotalSize => Files.Sum(file => file.Size);

    public long TotalStoredSize => Files.Sum(file => file.StoredSize);

    /// <summary>The file holding <paramref name="database"/>'s dump, or <see langword="null"/>.</summary>
    public ManifestFile? FileOf(string database) => Files.FirstOrDefault(file => file.Path == database + Extension);
}
