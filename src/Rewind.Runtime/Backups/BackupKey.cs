using System.Security.Cryptography;
using System.Text;

namespace Rewind.Runtime.Backups;

/// <summary>
/// The AES-256 key backups are encrypted with. The key itself never enters the repository; files record only
/// <see cref="Id"/> (the first 8 bytes of the key's SHA-256) so that "wrong key" can be told from "corrupt".
/// </summary>
public sealed class BackupKey
{
    public const int Length = 32;

    private readonly byte[] _key;

    private BackupKey(byte[] key)
    {
        _key = key;
        Id = Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));
    }

    /// <summary>16 lower-case hex digits identifying the key without revealing it.</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Bytes => _key;

    internal byte[] IdBytes => Convert.FromHexString(Id);

    public static BackupKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == Length ? new BackupKey(key.ToArray()) : throw new ArgumentException($"a backup key is {Length} bytes, not {key.Length}", nameof(key));

    /// <summary>
    /// Reads a key file holding exactly 32 raw bytes (<c>openssl rand 32</c>) or 64 hex digits (<c>openssl rand -hex 32</c>,
    /// one trailing newline allowed). Any other content is refused with a message saying what was found.
    /// </summary>
    public static BackupKeyResult Load(string path)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new BackupKeyResult(null, $"cannot read the backup key file {path}: {ex.Message}");
        }

        if (content.Length == Length)
        {
            return new BackupKeyResult(new BackupKey(content), null);
        }

        var text = Encoding.ASCII.GetString(content).TrimEnd('\n', '\r');
        if (text.Length == 2 * Length && text.All(char.IsAsciiHexDigit))
        {
            return new BackupKeyResult(new BackupKey(Convert.FromHexString(text)), null);
        }

        return new BackupKeyResult(null, $"the backup key file {path} holds {content.Length} bytes; a key is exactly {Length} random bytes or {2 * Length} hex digits (make one with: openssl rand {Length} > key)");
    }
}

/// <summary>A loaded key, or why the key file was refused.</summary>
public sealed record BackupKeyResult(BackupKey? Key, string? Error);
