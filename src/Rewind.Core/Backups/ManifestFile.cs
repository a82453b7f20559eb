using System.Text.Json.Serialization;

namespace Rewind.Core.Backups;

/// <summary>
/// One file of a base backup. <see cref="Size"/> and <see cref="Sha256"/> describe the plain content as PostgreSQL wrote
/// it; <see cref="StoredSize"/> is what the repository holds after compression and encryption.
/// </summary>
/// <param name="Path">Relative to the data directory, with '/' separators, e.g. <c>base/5/1259</c>.</param>
/// <param name="Size">Plain size in bytes.</param>
/// <param name="Sha256">SHA-256 of the plain content, lower-case hex.</param>
/// <param name="StoredSize">Bytes in the repository after compression and encryption.</param>
/// <param name="Compression">How the stored bytes are compressed.</param>
/// <param name="Encrypted">Whether the stored bytes are encrypted (with the set's key).</param>
/// <param name="Mode">Unix permission bits, restored as they were.</param>
/// <param name="Modified">The file's modification time, restored as it was.</param>
public sealed record ManifestFile(
    string Path,
    long Size,
    string Sha256,
    long StoredSize,
    StoredCompression Compression,
    bool Encrypted,
    int Mode,
    DateTimeOffset Modified)
{
    /// <summary>
    /// The set whose folder physically holds the stored bytes, when it is not this file's own set: an incremental set
    /// names the holding set directly (never its parent transitively), so a restore reads each file from exactly one
    /// place. <see langword="null"/> (absent in the JSON): the file's own set.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StoredIn { get; init; }

    /// <summary>The id of the set holding the bytes, <paramref name="ownSetId"/> when the file is stored in its own set.</summary>
    public string HeldBy(string ownSetId) => StoredIn ?? ownSetId;
}

/// <summary>A directory of the backup, recorded so empty ones (<c>pg_wal</c>, <c>pg_notify</c>) come back on restore.</summary>
public sealed record ManifestDirectory(string Path, int Mode);
