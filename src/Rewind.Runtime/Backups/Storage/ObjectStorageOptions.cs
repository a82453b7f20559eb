namespace Rewind.Runtime.Backups;

/// <summary>
/// How to reach S3-compatible object storage for a repository <c>s3://BUCKET/PREFIX</c>. A class, not a record: its
/// text form must never show the secret key.
/// </summary>
public sealed class ObjectStorageOptions
{
    /// <summary>The service URL of an S3-compatible server (MinIO, Ceph, Garage, s3rver), e.g. <c>http://10.0.0.5:9000</c>; <see langword="null"/> for AWS itself.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The region requests are signed for. Default <c>us-east-1</c>, which S3-compatible servers accept.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The access key id; with <see cref="SecretKey"/>. Both <see langword="null"/>: the SDK's default credentials (environment, instance profile).</summary>
    public string? AccessKey { get; init; }

    /// <summary>The secret access key. Never logged, never in a message or a record.</summary>
    public string? SecretKey { get; init; }

    /// <summary>
    /// The local directory for work in progress (a base backup's staging copy, dumps read back for <c>pg_restore</c>, work
    /// locks). Default: <c>rewind-s3/&lt;bucket&gt;-&lt;hash of the prefix&gt;</c> under the temp directory. A base backup
    /// stages the whole data directory here: give it room.
    /// </summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Objects larger than this go up in parts of this size (doubling every 1,000 parts). Default 8 MiB.</summary>
    public int PartSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// Files uploaded, downloaded or checked at once (at least <see cref="BackupRepositoryOptions.Parallelism"/>). Default
    /// 8: each file is a request answered after a network round trip, so more are kept in flight than there are cores
    /// (an upload holds up to two parts in memory: 8 × 2 × <see cref="PartSize"/> at most).
    /// </summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>
    /// A set's objects at most this size once stored (compressed, encrypted) go into bundles rather than each into an
    /// object of its own (a request, and a round trip, per object). Default 256 KiB; 0 stores every file as an object.
    /// </summary>
    public int BundleLimit { get; init; } = 256 * 1024;

    /// <summary>A bundle is closed and uploaded once it holds this much. Default 8 MiB.</summary>
    public int BundleSize { get; init; } = 8 * 1024 * 1024;

    public override string ToString() => $"endpoint {Endpoint ?? "AWS"}, region {Region}";
}
