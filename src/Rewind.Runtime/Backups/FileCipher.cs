using System.Buffers.Binary;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Streaming AES-256-GCM for stored files, in independent chunks so that a file of any size is encrypted and checked
/// with constant memory.
/// <para>
/// Format: a 28-byte header (<c>RWENC001</c>, the 8-byte key id, an 8-byte random nonce prefix, the chunk size as a
/// big-endian int32), then chunks of <see cref="ChunkSize"/> plain bytes, each followed by its 16-byte tag. The last
/// chunk is always shorter than a full one (possibly empty). A chunk's nonce is the prefix followed by its big-endian
/// 32-bit index; its associated data is the header, its index and a last-chunk flag, so a truncated, extended,
/// reordered or spliced file fails authentication instead of decrypting to something shorter.
/// </para>
/// </summary>
public static class FileCipher
{
    /// <summary>Plain bytes per chunk: 1 MiB, large enough that the 16-byte tag and call overhead vanish.</summary>
    public const int ChunkSize = 1024 * 1024;

    internal const int HeaderSize = 28;
    internal const int TagSize = 16;
    internal const int NonceSize = 12;

    internal static ReadOnlySpan<byte> Magic => "RWENC001"u8;

    /// <summary>A write-only stream that encrypts into <paramref name="destination"/>; dispose it to write the last chunk.</summary>
    public static Stream CreateEncryptor(Stream destination, BackupKey key, bool leaveOpen = false) =>
        new EncryptingStream(destination, key, ChunkSize, leaveOpen);

    /// <summary>
    /// A read-only stream of the plain content; reading throws <see cref="BackupIntegrityException"/> when the file was
    /// written with another key, or is corrupt, truncated or tampered with.
    /// </summary>
    public static Stream CreateDecryptor(Stream source, BackupKey key, bool leaveOpen = false) => new DecryptingStream(source, key, leaveOpen);

    internal static void WriteNonce(Span<byte> nonce, ReadOnlySpan<byte> prefix, uint index)
    {
        prefix.CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], index);
    }

    internal static void WriteAssociatedData(Span<byte> associated, ReadOnlySpan<byte> header, uint index, bool last)
    {
        header.CopyTo(associated);
        BinaryPrimitives.WriteUInt32BigEndian(associated[HeaderSize..], index);
        associated[HeaderSize + 4] = last ? (byte)1 : (byte)0;
    }
}
