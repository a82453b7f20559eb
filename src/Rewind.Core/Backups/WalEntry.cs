namespace Rewind.Core.Backups;

/// <summary>The manifest entry of one archived WAL file (segment, partial segment, timeline or backup history file).</summary>
/// <param name="Name">The file name PostgreSQL gave (<c>%f</c>).</param>
/// <param name="Size">Plain size in bytes.</param>
/// <param name="Sha256">Of the original bytes, lower-case hex; a second push of the same name must match it.</param>
/// <param name="StoredSize">Bytes in the repository after compression and encryption.</param>
/// <param name="Compression">How the stored bytes are compressed.</param>
/// <param name="Encrypted">Whether the stored bytes are encrypted.</param>
/// <param name="KeyId">The key id (hex) when <paramref name="Encrypted"/>.</param>
/// <param name="Archived">When the push completed.</param>
public sealed record WalEntry(
    string Name,
    long Size,
    string Sha256,
    long StoredSize,
    StoredCompression Compression,
    bool Encrypted,
    string? KeyId,
    DateTimeOffset Archived);
