using Amazon.Runtime;
using Amazon.S3.Model;

namespace Rewind.Runtime.Backups;

internal sealed partial class ObjectStorage
{
    private const string UploadMark = "upload:";
    private static readonly string[] SetFolders = ["sets", "dumps", "files"];

    /// <summary>
    /// Set folders without a manifest whose newest object is older than <paramref name="before"/> (<c>sets/&lt;id&gt;</c>),
    /// WAL objects without their entry (<c>wal/…/NAME.gz</c>), and multipart uploads started before it
    /// (<c>upload:KEY</c>): what a killed backup or push left.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListLeftoversAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var leftovers = new List<string>();
        foreach (var kind in SetFolders)
        {
            var objects = await ListObjectsAsync(kind, cancellationToken);
            leftovers.AddRange(objects
                .GroupBy(o => string.Join('/', o.Key.Split('/').Take(2)), StringComparer.Ordinal)
                .Where(set => !set.Any(o => o.Key == $"{set.Key}/{ManifestName}") && set.Max(o => o.LastModified) < before.UtcDateTime)
                .Select(set => set.Key));
        }

        var wal = await ListObjectsAsync("wal", cancellationToken);
        var entries = wal.Select(o => o.Key).Where(key => key.EndsWith(".json", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        leftovers.AddRange(wal
            .Where(o => !o.Key.EndsWith(".json", StringComparison.Ordinal) && !entries.Contains(WalEntryKeyOf(o.Key)) && o.LastModified < before.UtcDateTime)
            .Select(o => o.Key));
        leftovers.AddRange(await ListStaleUploadsAsync(before, cancellationToken));
        return [.. leftovers.Order(StringComparer.Ordinal)];
    }

    public void RemoveLeftover(string leftover)
    {
        if (leftover.StartsWith(UploadMark, StringComparison.Ordinal))
        {
            var (key, uploadId) = (leftover[UploadMark.Length..leftover.LastIndexOf(' ')], leftover[(leftover.LastIndexOf(' ') + 1)..]);
            Wait(() => _client.AbortMultipartUploadAsync(_bucket, _prefix + key, uploadId));
        }
        else if (SetFolders.Any(kind => leftover.StartsWith(kind + "/", StringComparison.Ordinal)) && leftover.Count(c => c == '/') == 1)
        {
            DeleteAll(leftover);
        }
        else
        {
            Delete(leftover);
        }
    }

    /// <summary>The entry key of a stored WAL object: <c>wal/T/NAME[.gz][.enc]</c> → <c>wal/T/NAME.json</c>.</summary>
    private static string WalEntryKeyOf(string key)
    {
        var name = key.EndsWith(".enc", StringComparison.Ordinal) ? key[..^4] : key;
        name = name.EndsWith(".gz", StringComparison.Ordinal) ? name[..^3] : name;
        return name + ".json";
    }

    /// <summary>Multipart uploads beneath the prefix started before <paramref name="before"/>, as <c>upload:KEY UPLOADID</c>; none where the server cannot list them.</summary>
    private async Task<IReadOnlyList<string>> ListStaleUploadsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = _prefix }, cancellationToken);
            return [.. (response.MultipartUploads ?? []).Where(u => u.Initiated < before.UtcDateTime).Select(u => $"{UploadMark}{u.Key[_prefix.Length..]} {u.UploadId}")];
        }
        catch (AmazonServiceException)
        {
            return []; // a server without the call (s3rver): a bucket lifecycle rule aborts incomplete uploads
        }
    }
}
