using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// A repository in S3-compatible object storage (<c>s3://BUCKET/PREFIX</c>). A set's objects are uploaded under their
/// final keys and its <c>manifest.json</c> last: the manifest is the commit point, and listings go by manifests only.
/// A set is removed manifest first (gone from every listing), then its objects. Objects no manifest or WAL entry names
/// (a killed upload) are found by <see cref="ListLeftoversAsync"/> once old enough, and removed by expiry.
/// </summary>
internal sealed partial class ObjectStorage : IRepositoryStorage
{
    private const string ManifestName = BackupRepository.ManifestName;

    /// <summary>One client per endpoint and credentials for the process: repositories are opened often (the backup signals every 10 s), a client holds connections.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string? Endpoint, string Region, string? AccessKey, string? SecretKey), IAmazonS3> Clients = new();
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly ObjectStorageOptions _options;

    /// <summary>Whether the server takes multi-object deletes; cleared at the first that it refuses as not implemented.</summary>
    private bool _multiDelete = true;

    public ObjectStorage(string location, ObjectStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_bucket, _prefix) = ObjectLocation.Parse(location) ?? throw new ArgumentException($"'{location}' is not s3://BUCKET[/PREFIX]", nameof(location));
        Location = $"s3://{_bucket}/{_prefix}".TrimEnd('/');
        _options = options;
        _client = Clients.GetOrAdd((options.Endpoint, options.Region, options.AccessKey, options.SecretKey), _ => CreateClient(options));
        WorkDirectory = options.WorkDirectory ?? Path.Combine(
            Path.GetTempPath(), "rewind-s3", $"{_bucket}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_prefix)))[..12]}");
    }

    public string Location { get; }

    public string? LocalRoot => null;

    public string WorkDirectory { get; }

    internal IAmazonS3 Client => _client;

    internal string Bucket => _bucket;

    internal int PartSize => _options.PartSize;

    public static IAmazonS3 CreateClient(ObjectStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            ForcePathStyle = true,
            // Simple S3-compatible servers reject the SDK's default flexible checksums (aws-chunked trailers): only when required.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        return options.AccessKey is { } accessKey && options.SecretKey is { } secretKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config)
            : new AmazonS3Client(config);
    }

    public async Task<IReadOnlyList<string>> ListSetIdsAsync(string kindFolder, CancellationToken cancellationToken)
    {
        var candidates = (await ListFoldersAsync(kindFolder, cancellationToken)).Where(BackupSetId.IsValid).ToList();
        var committed = await Task.WhenAll(candidates.Select(id => HeadAsync($"{kindFolder}/{id}/{ManifestName}", cancellationToken)));
        return [.. candidates.Where((_, i) => committed[i] is not null)];
    }

    public bool SetExists(string folder) => SizeOf($"{folder}/{ManifestName}") is not null;

    public async Task<IReadOnlyList<string>> ListFoldersAsync(string folder, CancellationToken cancellationToken)
    {
        var folders = new List<string>();
        await foreach (var page in ListAsync(folder + "/", "/", cancellationToken))
        {
            folders.AddRange((page.CommonPrefixes ?? []).Select(p => p[(_prefix.Length + folder.Length + 1)..].TrimEnd('/')));
        }

        return [.. folders.Order(StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<string>> ListKeysAsync(string folder, CancellationToken cancellationToken) =>
        [.. (await ListObjectsAsync(folder, cancellationToken)).Select(o => o.Key).Order(StringComparer.Ordinal)];

    public async Task<byte[]?> ReadAllAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(_bucket, _prefix + key, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Failure("read", key, ex);
        }
    }

    public Stream OpenRead(string folder, string name)
    {
        var key = $"{folder}/{name}";
        if (FindInBundle(key) is { } bundled)
        {
            return ReadFromBundle(bundled);
        }

        try
        {
            var response = Wait(() => _client.GetObjectAsync(_bucket, _prefix + key));
            return new ResponseStream(response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"{Location}/{key} does not exist", key, ex);
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Failure("read", key, ex);
        }
    }

    public long? SizeOf(string key) =>
        FindInBundle(key) is { } bundled ? BundledSizeOf(bundled) : Wait(() => HeadAsync(key, CancellationToken.None));

    public ObjectWriter Create(string key) => new UploadWriter(this, key);

    public async Task WriteAllAsync(string key, byte[] content, CancellationToken cancellationToken)
    {
        try
        {
            await PutAsync(key, content, content.Length, cancellationToken);
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Failure("write", key, ex);
        }
    }

    public SetWriter BeginSet(string folder, string work) => new ObjectSet(this, folder);

    public bool RemoveSet(string folder)
    {
        if (!SetExists(folder))
        {
            return false;
        }

        Delete($"{folder}/{ManifestName}");
        DeleteAll(folder);
        return true;
    }

    public void Delete(string key)
    {
        try
        {
            Wait(() => _client.DeleteObjectAsync(_bucket, _prefix + key));
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Failure("delete", key, ex);
        }
    }

    internal async Task PutAsync(string key, byte[] content, int count, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content, 0, count, writable: false);
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = _prefix + key, InputStream = body, AutoCloseStream = false, UseChunkEncoding = false }, cancellationToken);
    }

    /// <summary>
    /// Waits for an object store call from the synchronous paths (the storing and reading pipeline runs on thread-pool
    /// threads, in parallel): run on the pool, so no caller's synchronization context is ever waited on.
    /// </summary>
    internal static T Wait<T>(Func<Task<T>> call) => Task.Run(call).GetAwaiter().GetResult();

    internal static void Wait(Func<Task> call) => Task.Run(call).GetAwaiter().GetResult();

    /// <summary>What a request to the object store can fail with: an error answer, a broken or mismatched transfer, the network.</summary>
    internal static bool IsFailure(Exception ex) => ex is AmazonServiceException or AmazonClientException or HttpRequestException;

    internal IOException Failure(string action, string key, Exception ex) =>
        new($"cannot {action} {Location}/{key}: {(ex is AmazonServiceException service ? $"{service.StatusCode} {service.ErrorCode} {service.Message}" : ex.Message)}", ex);

    private async Task<long?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.GetObjectMetadataAsync(_bucket, _prefix + key, cancellationToken)).ContentLength;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Failure("look up", key, ex);
        }
    }

    /// <summary>Every object beneath <paramref name="folder"/>, with keys relative to the repository.</summary>
    private async Task<List<S3Object>> ListObjectsAsync(string folder, CancellationToken cancellationToken)
    {
        var objects = new List<S3Object>();
        await foreach (var page in ListAsync(folder + "/", null, cancellationToken))
        {
            objects.AddRange((page.S3Objects ?? []).Select(o => new S3Object { Key = o.Key[_prefix.Length..], Size = o.Size, LastModified = o.LastModified }));
        }

        return objects;
    }

    private async IAsyncEnumerable<ListObjectsV2Response> ListAsync(string prefix, string? delimiter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix, Delimiter = delimiter };
        while (true)
        {
            ListObjectsV2Response page;
            try
            {
                page = await _client.ListObjectsV2Async(request, cancellationToken);
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                throw Failure("list", prefix, ex);
            }

            yield return page;
            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>
    /// Deletes every object beneath <paramref name="folder"/>: a thousand keys per request (S3's multi-object delete), or one
    /// request per key, eight at a time, on a server that does not offer it.
    /// </summary>
    private void DeleteAll(string folder) => Wait(async () => await DeleteAllAsync(await ListKeysAsync(folder, CancellationToken.None)));

    private async Task DeleteAllAsync(IEnumerable<string> keys)
    {
        foreach (var batch in keys.Chunk(1000))
        {
            if (_multiDelete && await TryDeleteBatchAsync(batch))
            {
                continue;
            }

            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, token) =>
            {
                try
                {
                    await _client.DeleteObjectAsync(_bucket, _prefix + key, token);
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    throw Failure("delete", key, ex);
                }
            });
        }
    }

    /// <summary>One multi-object delete; <see langword="false"/> (and never again) when the server does not implement it.</summary>
    private async Task<bool> TryDeleteBatchAsync(string[] batch)
    {
        try
        {
            var response = await _client.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = _bucket,
                Objects = [.. batch.Select(key => new KeyVersion { Key = _prefix + key })],
                Quiet = true,
            });
            if (response.DeleteErrors is [var error, ..])
            {
                throw new IOException($"cannot delete s3://{_bucket}/{error.Key}: {error.Code} {error.Message}");
            }

            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed)
        {
            _multiDelete = false;
            return false;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            throw Failure("delete", batch[0], ex);
        }
    }
}
