using System.IO.Compression;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>Where the backup repository lives and how new files are stored in it.</summary>
/// <param name="Path">
/// The repository directory (created on first use), or <c>s3://BUCKET/PREFIX</c> in S3-compatible object storage
/// (reached as <see cref="ObjectStorage"/> says). Keep it off the database's disk.
/// </param>
public sealed record BackupRepositoryOptions(string Path)
{
    /// <summary>Compression of new files. Default <see cref="StoredCompression.Gzip"/>: WAL and table files shrink 3–10×.</summary>
    public StoredCompression Compression { get; init; } = StoredCompression.Gzip;

    /// <summary>gzip level. Default <see cref="CompressionLevel.Fastest"/>: most of the size gain at a fraction of the CPU.</summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>The key to encrypt new files with and to read encrypted ones; <see langword="null"/> stores files in clear.</summary>
    public BackupKey? Key { get; init; }

    /// <summary>How many files are stored, restored or checked at once. Default: one per processor.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The endpoint, region and credentials of an <c>s3://</c> repository. Default: AWS in <c>us-east-1</c> with the SDK's default credentials.</summary>
    public ObjectStorageOptions? ObjectStorage { get; init; }
}
