using System.Text.Json.Serialization;

namespace Rewind.Core.Backups;

/// <summary>
/// What one base backup (a set) holds and needs: every file with its checksum, the WAL range from the backup's start to
/// its end (recovery needs at least these segments to reach a consistent state) and when it was taken.
/// </summary>
/// <param name="SetId">Sortable UTC timestamp, e.g. <c>20261122T183438123Z</c>; also the set's directory name.</param>
/// <param name="Label">The label PostgreSQL recorded in <c>backup_label</c>.</param>
/// <param name="Started">When the backup started (controller clock).</param>
/// <param name="Finished">When the last file was stored; a restore target must be later than this to use the set.</param>
/// <param name="Timeline">The timeline the backup started on.</param>
/// <param name="StartLsn">Where WAL replay starts (PostgreSQL's notation, e.g. <c>0/700028</c>).</param>
/// <param name="StopLsn">Where the backup ended: replay must pass this point for the copy to be consistent.</param>
/// <param name="WalStart">The segment holding <paramref name="StartLsn"/>: the first segment a restore fetches.</param>
/// <param name="WalStop">The segment holding <paramref name="StopLsn"/>: recovery is consistent once it is replayed.</param>
/// <param name="WalSegmentSize">The cluster's WAL segment size in bytes (16 MiB unless initdb was told otherwise).</param>
/// <param name="PostgresVersion">The major version from <c>PG_VERSION</c>: a set restores only with the same major version.</param>
/// <param name="KeyId">The key id (hex) when files are encrypted, else <see langword="null"/>.</param>
/// <param name="Directories">Every directory, so empty ones come back.</param>
/// <param name="Files">Every file, sorted by path.</param>
public sealed record BackupManifest(
    string SetId,
    string Label,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    uint Timeline,
    string StartLsn,
    string StopLsn,
    string WalStart,
    string WalStop,
    int WalSegmentSize,
    string PostgresVersion,
    string? KeyId,
    IReadOnlyList<ManifestDirectory> Directories,
    IReadOnlyList<ManifestFile> Files)
{
    /// <summary>The newest <see cref="Format"/> this version reads; a manifest of a newer one is treated as unreadable.</summary>
    public const int NewestFormat = 2;

    /// <summary>
    /// The repository format this manifest was written in: 1 for a full set (what every Rewind reads), 2 for an
    /// incremental set (its files may be held by earlier sets, <see cref="ManifestFile.StoredIn"/>); readers refuse newer formats.
    /// </summary>
    public int Format { get; init; } = 1;

    /// <summary>Full (every file stored in the set) or incremental (unchanged files referenced). Default full: manifests written before incrementals existed are full sets.</summary>
    public BackupType Type { get; init; } = BackupType.Full;

    /// <summary>The set an incremental was taken against (the previous set of its chain); <see langword="null"/> for a full set.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Parent { get; init; }

    public long TotalSize => Files.Sum(file => file.Size);

    /// <summary>Bytes this set holds itself (files referenced from earlier sets are not counted).</summary>
    public long TotalStoredSize => Files.Where(file => file.StoredIn is null).Sum(file => file.StoredSize);

    /// <summary>Plain bytes of the files an incremental references from earlier sets instead of storing them.</summary>
    [JsonIgnore]
    public long ReferencedSize => Files.Where(file => file.StoredIn is not null).Sum(file => file.Size);

    /// <summary>The sets other than this one that hold bytes of its files, in order.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> HoldingSets => [.. Files.Select(file => file.StoredIn).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <summary>Whether a base backup set stores every file or only those changed since its parent.</summary>
public enum BackupType
{
    /// <summary>Every file stored in the set itself; starts a chain.</summary>
    [JsonStringEnumMemberName("full")]
    Full,

    /// <summary>Files unchanged since the parent (path, size and SHA-256 equal) are referenced, not stored again.</summary>
    [JsonStringEnumMemberName("incremental")]
    Incremental,
}
