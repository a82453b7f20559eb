using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Shouldly;

namespace Rewind.TestUtils;

/// <summary>
/// A fresh bucket on the S3-compatible server named by REWIND_TEST_S3 (./test.sh starts a throwaway s3rver), with its
/// credentials from REWIND_TEST_S3_ACCESS_KEY and REWIND_TEST_S3_SECRET_KEY; emptied and removed afterwards. Without the
/// variable the test fails: object storage is never skipped. Objects are read and written here by key, as a test that
/// damages a repository on purpose does.
/// </summary>
public sealed class S3Bucket : IAsyncDisposable
{
    private S3Bucket(string endpoint, string accessKey, string secretKey, string name)
    {
        Endpoint = endpoint;
        AccessKey = accessKey;
        SecretKey = secretKey;
        Name = name;
        Client = new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), new AmazonS3Config
        {
            ServiceURL = endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    public string Endpoint { get; }

    public string AccessKey { get; }

    public string SecretKey { get; }

    public string Name { get; }

    public IAmazonS3 Client { get; }

    /// <summary>The server's URL from REWIND_TEST_S3, e.g. <c>http://127.0.0.1:59290</c>; fails the test without it.</summary>
    public static string ServerUrl()
    {
        var url = Environment.GetEnvironmentVariable("REWIND_TEST_S3");
        url.ShouldNotBeNullOrEmpty("REWIND_TEST_S3 is not set; ./test.sh starts a throwaway s3rver and sets it (with REWIND_TEST_S3_ACCESS_KEY and REWIND_TEST_S3_SECRET_KEY)");
        return url;
    }

    public static async Task<S3Bucket> CreateAsync()
    {
        var bucket = new S3Bucket(
            ServerUrl(),
            Environment.GetEnvironmentVariable("REWIND_TEST_S3_ACCESS_KEY") ?? "S3RVER",
            Environment.GetEnvironmentVariable("REWIND_TEST_S3_SECRET_KEY") ?? "S3RVER",
            $"rewind-test-{Guid.NewGuid():N}");
        await bucket.Client.PutBucketAsync(bucket.Name);
        return bucket;
    }

    /// <summary>The <c>s3://</c> location of <paramref name="prefix"/> in this bucket.</summary>
    public string Location(string prefix = "") => $"s3://{Name}/{prefix}".TrimEnd('/');

    /// <summary>Every key beneath <paramref name="prefix"/>, in order.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string prefix = "")
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Name, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await Client.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return [.. keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The content of <paramref name="key"/>, or <see langword="null"/> when it does not exist.</summary>
    public async Task<byte[]?> ReadAsync(string key)
    {
        try
        {
            using var response = await Client.GetObjectAsync(Name, key);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task WriteAsync(string key, byte[] content)
    {
        using var body = new MemoryStream(content);
        await Client.PutObjectAsync(new PutObjectRequest { BucketName = Name, Key = key, InputStream = body, UseChunkEncoding = false });
    }

    public Task DeleteAsync(string key) => Client.DeleteObjectAsync(Name, key);

    /// <summary>
    /// Copies every object beneath <paramref name="from"/> to the same key beneath <paramref name="to"/>, eight at a time
    /// (read and written again: s3rver's copy does not take the SDK's copy source).
    /// </summary>
    public async Task CopyAsync(string from, string to) =>
        await Parallel.ForEachAsync(await KeysAsync(from), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, _) =>
            await WriteAsync(to + key[from.Length..], (await ReadAsync(key))!));

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var batch in (await KeysAsync()).Chunk(1000))
            {
                await Client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Name, Objects = [.. batch.Select(key => new KeyVersion { Key = key })] });
            }

            await Client.DeleteBucketAsync(Name);
        }
        catch (AmazonS3Exception)
        {
            // a bucket left behind lives in the server's throwaway directory, which ./test.sh removes
        }
        finally
        {
            Client.Dispose();
        }
    }
}
