using System.Text.Json;
using System.Text.Json.Nodes;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// Where a test's backup repositories live, so the same tests run against both storages: directories under a root
/// (<see cref="DirectoryStore"/>), or prefixes of a fresh bucket on the test's S3-compatible server (<see cref="BucketStore"/>).
/// A test reaches into a repository only by key (<c>sets/&lt;id&gt;/pg_data/PG_VERSION.gz.enc</c>), to look or to damage.
/// </summary>
public abstract class RepositoryStore : IAsyncDisposable
{
    /// <summary>A new, empty repository location named <paramref name="name"/>: a directory path or <c>s3://bucket/name</c>.</summary>
    public abstract string Location(string name);

    public abstract BackupRepositoryOptions Options(string location);

    /// <summary>The WAL tool's arguments that name the repository (<c>--repository …</c> and, in object storage, the endpoint and keys).</summary>
    public abstract IReadOnlyList<string> WalToolArguments(string location);

    /// <summary>A copy of the repository at <paramref name="location"/>, for a test that damages it.</summary>
    public abstract Task<string> CopyAsync(string location);

    public abstract Task<byte[]?> ReadAsync(string location, string key);

    public abstract Task WriteAsync(string location, string key, byte[] content);

    public abstract Task DeleteAsync(string location, string key);

    /// <summary>Every key beneath <paramref name="folder"/> of the repository, relative to it, in order.</summary>
    public abstract Task<IReadOnlyList<string>> KeysAsync(string location, string folder);

    public abstract ValueTask DisposeAsync();

    public BackupRepository Repository(string location, BackupKey? key = null) => new(Options(location) with { Key = key });

    /// <summary>Repositories as directories beneath <paramref name="root"/>.</summary>
    public static Task<RepositoryStore> InDirectoryAsync(string root) => Task.FromResult<RepositoryStore>(new DirectoryStore(root));

    /// <summary>Repositories as prefixes of a fresh bucket on the test's S3-compatible server.</summary>
    public static async Task<RepositoryStore> InBucketAsync() => new BucketStore(await S3Bucket.CreateAsync());
}

public sealed class DirectoryStore(string root) : RepositoryStore
{
    public override string Location(string name) => Path.Combine(root, name);

    public override BackupRepositoryOptions Options(string location) => new(location);

    public override IReadOnlyList<string> WalToolArguments(string location) => ["--repository", location];

    public override async Task<string> CopyAsync(string location)
    {
        var copy = location + "-" + Guid.NewGuid().ToString("N")[..8];
        await PostgresCluster.RunAsync("cp", "-a", location, copy);
        return copy;
    }

    public override async Task<byte[]?> ReadAsync(string location, string key) =>
        File.Exists(Path.Combine(location, key)) ? await File.ReadAllBytesAsync(Path.Combine(location, key)) : null;

    public override async Task WriteAsync(string location, string key, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(location, key))!);
        await File.WriteAllBytesAsync(Path.Combine(location, key), content);
    }

    public override Task DeleteAsync(string location, string key)
    {
        File.Delete(Path.Combine(location, key));
        return Task.CompletedTask;
    }

    public override Task<IReadOnlyList<string>> KeysAsync(string location, string folder) => Task.FromResult<IReadOnlyList<string>>(
        Directory.Exists(Path.Combine(location, folder))
            ? [.. Directory.EnumerateFiles(Path.Combine(location, folder), "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(location, path)).Order(StringComparer.Ordinal)]
            : []);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed class BucketStore(S3Bucket bucket) : RepositoryStore
{
    public S3Bucket Bucket => bucket;

    public override string Location(string name) => bucket.Location(name);

    public override BackupRepositoryOptions Options(string location) => new(location)
    {
        ObjectStorage = new ObjectStorageOptions { Endpoint = bucket.Endpoint, AccessKey = bucket.AccessKey, SecretKey = bucket.SecretKey, PartSize = 1024 * 1024 },
    };

    public override IReadOnlyList<string> WalToolArguments(string location) =>
        ["--repository", location, "--s3-endpoint", bucket.Endpoint, "--s3-access-key", bucket.AccessKey, "--s3-secret-key", bucket.SecretKey];

    public override async Task<string> CopyAsync(string location)
    {
        var copy = location + "-" + Guid.NewGuid().ToString("N")[..8];
        await bucket.CopyAsync(Prefix(location), Prefix(copy));
        return copy;
    }

    /// <summary>The object's content, also when it is one of a set's small files kept in a bundle.</summary>
    public override async Task<byte[]?> ReadAsync(string location, string key)
    {
        if (await bucket.ReadAsync(Prefix(location) + key) is { } own)
        {
            return own;
        }

        return await BundledAsync(location, key) is var (bundle, offset, length) ? (await bucket.ReadAsync(bundle))![offset..(offset + length)] : null;
    }

    /// <summary>Replaces the object; one kept in a bundle is replaced in place there (same length only: damage, not growth).</summary>
    public override async Task WriteAsync(string location, string key, byte[] content)
    {
        if (await BundledAsync(location, key) is var (bundle, offset, length))
        {
            content.Length.ShouldBe(length, $"{key} is in {bundle}: only a same-length replacement is written in place");
            var bytes = (await bucket.ReadAsync(bundle))!;
            content.CopyTo(bytes, offset);
            await bucket.WriteAsync(bundle, bytes);
            return;
        }

        await bucket.WriteAsync(Prefix(location) + key, content);
    }

    /// <summary>Where a set's small file is in its bundle (<c>sets/ID/bundles.json</c> says), or <see langword="null"/>.</summary>
    public async Task<(string Bundle, int Offset, int Length)?> BundledAsync(string location, string key)
    {
        var parts = key.Split('/', 3);
        if (parts.Length < 3 || await bucket.ReadAsync($"{Prefix(location)}{parts[0]}/{parts[1]}/bundles.json") is not { } index)
        {
            return null;
        }

        using var json = JsonDocument.Parse(index);
        return json.RootElement.GetProperty("members").TryGetProperty(parts[2], out var member)
            ? ($"{Prefix(location)}{parts[0]}/{parts[1]}/bundles/{member.GetProperty("bundle").GetInt32()}", member.GetProperty("offset").GetInt32(), member.GetProperty("length").GetInt32())
            : null;
    }

    /// <summary>Deletes the object; one kept in a bundle is taken out of its set's <c>bundles.json</c>, so it is gone as a lost object is.</summary>
    public override async Task DeleteAsync(string location, string key)
    {
        var parts = key.Split('/', 3);
        if (await BundledAsync(location, key) is null)
        {
            await bucket.DeleteAsync(Prefix(location) + key);
            return;
        }

        var indexKey = $"{Prefix(location)}{parts[0]}/{parts[1]}/bundles.json";
        var index = JsonNode.Parse(await bucket.ReadAsync(indexKey))!;
        index["members"]!.AsObject().Remove(parts[2]).ShouldBeTrue();
        await bucket.WriteAsync(indexKey, System.Text.Encoding.UTF8.GetBytes(index.ToJsonString()));
    }

    public override async Task<IReadOnlyList<string>> KeysAsync(string location, string folder) =>
        [.. (await bucket.KeysAsync(Prefix(location) + folder)).Select(key => key[Prefix(location).Length..])];

    public override ValueTask DisposeAsync() => bucket.DisposeAsync();

    private string Prefix(string location) => location[bucket.Location().Length..].TrimStart('/') + "/";
}
