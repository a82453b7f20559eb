using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// The one pipeline every stored byte goes through: hash the plain content, then compress, then encrypt, streaming with
/// 1 MiB buffers so memory stays constant whatever the file size. Synchronous on purpose: callers run many files in
/// parallel on the thread pool, and sequential blocking reads are the fastest way through the page cache.
/// </summary>
internal static class StoredFile
{
    internal const int BufferSize = 1024 * 1024;

    /// <summary>Stores <paramref name="source"/> into <paramref name="file"/> and commits it (flushed to disk, or uploaded).</summary>
    public static StoredFacts Write(Stream source, ObjectWriter file, StorageSettings settings, CancellationToken cancellationToken)
    {
        var layers = new List<Stream>();
        Stream sink = file;
        if (settings.Key is { } key)
        {
            sink = FileCipher.CreateEncryptor(sink, key, leaveOpen: true);
            layers.Add(sink);
        }

        if (settings.Compression == StoredCompression.Gzip)
        {
            sink = new GZipStream(sink, settings.Level, leaveOpen: true);
            layers.Add(sink);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long size = 0;
        try
        {
            int read;
            while ((read = source.Read(buffer, 0, BufferSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
                sink.Write(buffer, 0, read);
                size += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            for (var i = layers.Count - 1; i >= 0; i--)
            {
                layers[i].Dispose();
            }
        }

        file.Commit();
        return new StoredFacts(size, Convert.ToHexStringLower(hash.GetHashAndReset()), file.Length);
    }

    /// <summary>
    /// Reads a stored file (<paramref name="stored"/>, disposed here) back to its plain content, written to <paramref name="destination"/> (or only hashed when it
    /// is <see langword="null"/>). Throws <see cref="BackupIntegrityException"/> for content that fails authentication or
    /// decompression; the caller compares the returned size and hash with the manifest.
    /// </summary>
    public static (long Size, string Sha256) Read(Stream stored, StoredCompression compression, bool encrypted, BackupKey? key, Stream? destination, CancellationToken cancellationToken)
    {
        using var file = stored;
        Stream source = file;
        if (encrypted)
        {
            source = FileCipher.CreateDecryptor(source, key ?? throw new BackupIntegrityException("the file is encrypted and no key was given", wrongKey: true));
        }

        if (compression == StoredCompression.Gzip)
        {
            source = new GZipStream(source, CompressionMode.Decompress);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long size = 0;
        try
        {
            int read;
            while ((read = ReadPlain(source, buffer)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
                destination?.Write(buffer, 0, read);
                size += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            source.Dispose();
        }

        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static int ReadPlain(Stream source, byte[] buffer)
    {
        try
        {
            return source.ReadAtLeast(buffer.AsSpan(0, BufferSize), BufferSize, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new BackupIntegrityException("corrupt compressed data: " + ex.Message, ex);
        }
    }
}
