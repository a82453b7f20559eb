namespace Rewind.Runtime.Backups;

/// <summary>A repository location in object storage: <c>s3://BUCKET</c> or <c>s3://BUCKET/PREFIX</c>.</summary>
public static class ObjectLocation
{
    public const string Scheme = "s3://";

    public static bool IsObjectStorage(string? location) => location?.StartsWith(Scheme, StringComparison.Ordinal) == true;

    /// <summary>The bucket and the key prefix (empty, or ending in '/'), or <see langword="null"/> when <paramref name="location"/> is not one.</summary>
    public static (string Bucket, string Prefix)? Parse(string location)
    {
        if (!IsObjectStorage(location))
        {
            return null;
        }

        var rest = location[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        return Core.Configuration.ObjectStorageNames.IsBucket(bucket) && Core.Configuration.ObjectStorageNames.IsPrefix(prefix)
            ? (bucket, prefix.Length == 0 ? "" : prefix + "/")
            : null;
    }
}
