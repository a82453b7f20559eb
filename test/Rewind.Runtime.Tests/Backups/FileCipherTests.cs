using System.Security.Cryptography;
using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Tests.Backups;

public sealed class FileCipherTests
{
    private const int Chunk = FileCipher.ChunkSize;
    private const int Header = 28;
    private const int Tag = 16;

    private static readonly BackupKey Key = BackupKey.FromBytes(RandomNumberGenerator.GetBytes(BackupKey.Length));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData((3 * Chunk) + 5)]
    public void Decrypt_WhatWasEncrypted_GivesBackTheSameBytes(int size)
    {
        var plain = RandomNumberGenerator.GetBytes(size);

        var encrypted = Encrypt(plain);

        Decrypt(encrypted).ShouldBe(plain);
        var chunks = (size / Chunk) + 1;
        encrypted.Length.ShouldBe(Header + size + (chunks * Tag));
    }

    [Fact]
    public void Encrypt_SameContentTwice_DiffersBecauseTheNoncePrefixIsRandom()
    {
        var plain = new byte[1000];

        Encrypt(plain).ShouldNotBe(Encrypt(plain));
    }

    [Fact]
    public void Decrypt_OtherKey_SaysWrongKeyNotCorrupt()
    {
        var other = BackupKey.FromBytes(RandomNumberGenerator.GetBytes(BackupKey.Length));

        var error = Should.Throw<BackupIntegrityException>(() => Decrypt(Encrypt(new byte[10]), other));

        error.WrongKey.ShouldBeTrue();
        error.Message.ShouldBe($"encrypted with key {Key.Id}, but the given key is {other.Id}: wrong key");
    }

    [Theory]
    [InlineData(Header + 10)]
    [InlineData(Header + Chunk + 3)]
    [InlineData(Header + Chunk + Tag - 1)]
    [InlineData(20)]
    public void Decrypt_FlippedBit_FailsAuthentication(int offset)
    {
        var encrypted = Encrypt(RandomNumberGenerator.GetBytes((2 * Chunk) + 100));
        encrypted[offset] ^= 0x10;

        var error = Should.Throw<BackupIntegrityException>(() => Decrypt(encrypted));

        error.WrongKey.ShouldBeFalse();
        error.Message.ShouldEndWith("failed authentication: the file is corrupt, truncated or was tampered with");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100 + Tag)]
    [InlineData(100 + Tag + Chunk + Tag)]
    public void Decrypt_Truncated_Fails(int cut)
    {
        var encrypted = Encrypt(RandomNumberGenerator.GetBytes((2 * Chunk) + 100));

        Should.Throw<BackupIntegrityException>(() => Decrypt(encrypted[..^cut])).WrongKey.ShouldBeFalse();
    }

    [Fact]
    public void Decrypt_TruncatedAtAChunkBoundary_SaysTruncated()
    {
        var encrypted = Encrypt(RandomNumberGenerator.GetBytes(Chunk + 100));

        Should.Throw<BackupIntegrityException>(() => Decrypt(encrypted[..(Header + Chunk + Tag)]))
            .Message.ShouldBe("truncated: the encrypted file ends before its last chunk (chunk 1)");
    }

    [Fact]
    public void Decrypt_ReorderedChunks_FailsAuthentication()
    {
        var encrypted = Encrypt(RandomNumberGenerator.GetBytes((2 * Chunk) + 100));
        var first = encrypted.AsSpan(Header, Chunk + Tag).ToArray();
        encrypted.AsSpan(Header + Chunk + Tag, Chunk + Tag).CopyTo(encrypted.AsSpan(Header));
        first.CopyTo(encrypted.AsSpan(Header + Chunk + Tag));

        Should.Throw<BackupIntegrityException>(() => Decrypt(encrypted)).Message.ShouldStartWith("chunk 0 failed authentication");
    }

    [Fact]
    public void Decrypt_AppendedBytes_Fails()
    {
        var encrypted = Encrypt(RandomNumberGenerator.GetBytes(100));

        Should.Throw<BackupIntegrityException>(() => Decrypt([.. encrypted, 1, 2, 3]));
    }

    [Fact]
    public void Decrypt_NotEncrypted_SaysSo()
    {
        Should.Throw<BackupIntegrityException>(() => Decrypt(new byte[100]))
            .Message.ShouldBe("not an encrypted backup file (no RWENC001 header): corrupt, or stored without encryption");
    }

    private static byte[] Encrypt(byte[] plain)
    {
        using var output = new MemoryStream();
        using (var encryptor = FileCipher.CreateEncryptor(output, Key, leaveOpen: true))
        {
            // Odd write sizes: chunking must not depend on how the caller slices its writes.
            for (var offset = 0; offset < plain.Length; offset += 77_777)
            {
                encryptor.Write(plain, offset, Math.Min(77_777, plain.Length - offset));
            }
        }

        return output.ToArray();
    }

    private static byte[] Decrypt(byte[] encrypted, BackupKey? key = null)
    {
        using var decryptor = FileCipher.CreateDecryptor(new MemoryStream(encrypted), key ?? Key);
        using var plain = new MemoryStream();
        decryptor.CopyTo(plain);
        return plain.ToArray();
    }
}
