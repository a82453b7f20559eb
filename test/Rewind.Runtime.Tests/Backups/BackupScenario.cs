using System.Globalization;
using System.Security.Cryptography;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// One real cluster archiving into an encrypted, gzip-compressed repository through the WAL tool, with a known history:
/// batch 1 (ids 1–100), base backup, batch 2 (101–200), <see cref="NotedTime"/>, batch 3 (201–300), restore point
/// <see cref="RestorePoint"/>, batch 4 (301–400); each batch after the backup ends its own WAL segment.
/// Shared by the backup tests, which restore and verify copies and never change it. The repository is a directory
/// (<see cref="DirectoryBackupScenario"/>) or a bucket prefix in object storage (<see cref="ObjectStorageBackupScenario"/>):
/// the tests run against both.
/// </summary>
public abstract class BackupScenario : IAsyncLifetime
{
    public const string RestorePoint = "before-batch-4";

    public string Root { get; private set; } = "";

    /// <summary>Where the repositories of this scenario live.</summary>
    public RepositoryStore Store { get; private set; } = null!;

    /// <summary>The scenario's repository: a directory path or <c>s3://bucket/repo</c>.</summary>
    public string RepositoryPath => Store.Location("repo");

    public string KeyFile => Path.Combine(Root, "backup.key");

    public BackupKey Key { get; private set; } = null!;

    public PostgresCluster? Cluster { get; private set; }

    public BackupManifest Set { get; private set; } = null!;

    public DateTimeOffset NotedTime { get; private set; }

    /// <summary>The segments archived after the backup, one per batch (2, 3, 4).</summary>
    public IReadOnlyList<string> BatchSegments { get; private set; } = [];

    public static string WalTool => Path.Combine(TestUtils.Repository.BuildOutput("Rewind.WalTool"), "Rewind.WalTool");

    public static PostgresToolOptions Tools => new(PostgresCluster.BinDirectory) { RunAsUser = PostgresCluster.RunAsUser, BaseBackupTimeout = TimeSpan.FromSeconds(60) };

    public BackupRepository Repository(string? path = null, BackupKey? key = null) => Store.Repository(path ?? RepositoryPath, key ?? Key);

    /// <summary>The restore_command prefix that fetches from <paramref name="repository"/>.</summary>
    public IReadOnlyList<string> FetchCommand(string? repository = null) =>
        [WalTool, "fetch", .. Store.WalToolArguments(repository ?? RepositoryPath), "--key-file", KeyFile];

    public async Task InitializeAsync()
    {
        try
        {
            await CreateAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private async Task CreateAsync()
    {
        Root = await PostgresCluster.CreateDirectoryAsync("rewind-backups");
        Store = await CreateStoreAsync(Root);
        var key = RandomNumberGenerator.GetBytes(BackupKey.Length);
        await File.WriteAllBytesAsync(KeyFile, key);
        Key = BackupKey.FromBytes(key);
        await PostgresCluster.GiveToPostgresAsync(Root);
        Cluster = await PostgresCluster.CreateAsync(Path.Combine(Root, "source"), new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["archive_mode"] = "on",
            ["archive_command"] = PostgresCluster.Quote($"{WalTool} push {string.Join(' ', Store.WalToolArguments(RepositoryPath))} --key-file {KeyFile} %p %f"),
        });
        await Cluster.ExecuteAsync("create table item (id int primary key, batch int not null)");
        await InsertBatchAsync(1);
        var backup = await new BaseBackup(Repository(), Tools).RunAsync(new BaseBackupRequest(Cluster.LibpqConnectionString) { Label = "scenario" });
        backup.Succeeded.ShouldBeTrue(backup.Message);
        Set = backup.Manifest!;
        var segments = new List<string>();
        await InsertBatchAsync(2);
        segments.Add(await SwitchWalAsync());
        NotedTime = new DateTimeOffset(await Cluster.ScalarAsync<DateTime>("select clock_timestamp()"));
        await InsertBatchAsync(3);
        await PointInTimeRestore.CreateRestorePointAsync(Cluster.ConnectionString, RestorePoint);
        segments.Add(await SwitchWalAsync());
        await InsertBatchAsync(4);
        segments.Add(await SwitchWalAsync());
        BatchSegments = segments;
        await Eventually.WaitAsync(async () => (await Task.WhenAll(segments.Select(IsArchivedAsync))).All(archived => archived), TimeSpan.FromSeconds(30), "the batch segments to be archived");
    }

    /// <summary>A copy of the repository a test may damage.</summary>
    public Task<string> CopyRepositoryAsync() => Store.CopyAsync(RepositoryPath);

    /// <summary>A stand-in live data directory holding one marker file, for restores to replace.</summary>
    public string CreateLiveDirectory()
    {
        var live = Path.Combine(Root, "live-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(live);
        File.WriteAllText(Path.Combine(live, "marker"), "the live data directory");
        return live;
    }

    /// <summary>The ids in the item table of a cluster started on <paramref name="dataDirectory"/>; stops it again.</summary>
    public static async Task<(int Count, int Min, int Max)> ReadItemsAsync(string dataDirectory)
    {
        await using var cluster = await PostgresCluster.StartExistingAsync(dataDirectory);
        var count = (int)await cluster.ScalarAsync<long>("select count(*) from item");
        var min = await cluster.ScalarAsync<int>("select min(id) from item");
        var max = await cluster.ScalarAsync<int>("select max(id) from item");
        await cluster.StopAsync();
        return (count, min, max);
    }

    /// <summary>The store the scenario's repositories live in, made under <paramref name="root"/> when it is a directory.</summary>
    protected abstract Task<RepositoryStore> CreateStoreAsync(string root);

    private async Task<bool> IsArchivedAsync(string segment) => (await Store.KeysAsync(RepositoryPath, $"wal/{segment[..8]}/")).Contains($"wal/{segment[..8]}/{segment}.json");

    private Task InsertBatchAsync(int batch) => Cluster!.ExecuteAsync(string.Create(
        CultureInfo.InvariantCulture,
        $"insert into item select g, {batch} from generate_series({((batch - 1) * 100) + 1}, {batch * 100}) g"));

    private Task<string> SwitchWalAsync() => Cluster!.ScalarAsync<string>("select pg_walfile_name(pg_switch_wal())");
}

/// <summary>The scenario with its repository in a directory.</summary>
public sealed class DirectoryBackupScenario : BackupScenario
{
    protected override Task<RepositoryStore> CreateStoreAsync(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "repo"));
        return Task.FromResult<RepositoryStore>(new DirectoryStore(root));
    }
}

/// <summary>The scenario with its repository in a bucket of the test's S3-compatible server.</summary>
public sealed class ObjectStorageBackupScenario : BackupScenario
{
    protected override Task<RepositoryStore> CreateStoreAsync(string root) => RepositoryStore.InBucketAsync();
}

[CollectionDefinition(Name)]
public sealed class BackupScenarioGroup : ICollectionFixture<DirectoryBackupScenario>
{
    public const string Name = "backups on a real cluster";
}

[CollectionDefinition(Name)]
public sealed class ObjectStorageBackupScenarioGroup : ICollectionFixture<ObjectStorageBackupScenario>
{
    public const string Name = "backups on a real cluster, repository in object storage";
}
