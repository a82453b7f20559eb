using System.Globalization;
using System.Security.Cryptography;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// One real cluster archiving into an encrypted, gzip-compressed repository, with a chain of two sets: batch 1 of
/// <c>item</c> (ids 1–100), a full set, batch 2 (101–200) and a new table <c>extra</c> (50 rows), an incremental set,
/// batch 3 (201–300), <see cref="NotedTime"/>, batch 4 (301–400), all archived. The cluster keeps running, so a test
/// may take further backups into a copy of the repository. Tests restore, verify and expire copies and never change the
/// repository itself; in a directory (<see cref="DirectoryIncrementalScenario"/>) or in object storage (<see cref="ObjectStorageIncrementalScenario"/>).
/// </summary>
public abstract class IncrementalScenario : IAsyncLifetime
{
    public string Root { get; private set; } = "";

    public RepositoryStore Store { get; private set; } = null!;

    public string RepositoryPath => Store.Location("repo");

    public string KeyFile => Path.Combine(Root, "backup.key");

    public BackupKey Key { get; private set; } = null!;

    public PostgresCluster Cluster { get; private set; } = null!;

    public BackupManifest Full { get; private set; } = null!;

    public BackupManifest Incremental { get; private set; } = null!;

    /// <summary>What the incremental run said.</summary>
    public BaseBackupResult IncrementalResult { get; private set; } = null!;

    public DateTimeOffset NotedTime { get; private set; }

    public BackupRepository Repository(string? path = null, BackupKey? key = null) => Store.Repository(path ?? RepositoryPath, key ?? Key);

    public IReadOnlyList<string> FetchCommand(string? repository = null) =>
        [BackupScenario.WalTool, "fetch", .. Store.WalToolArguments(repository ?? RepositoryPath), "--key-file", KeyFile];

    public Task<string> CopyRepositoryAsync() => Store.CopyAsync(RepositoryPath);

    public string CreateLiveDirectory()
    {
        var live = Path.Combine(Root, "live-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(live);
        File.WriteAllText(Path.Combine(live, "marker"), "the live data directory");
        return live;
    }

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

    /// <summary>A base backup of the running cluster into <paramref name="repository"/>.</summary>
    public async Task<BaseBackupResult> BackUpAsync(BackupRepository repository, bool incremental)
    {
        var result = await new BaseBackup(repository, BackupScenario.Tools).RunAsync(new BaseBackupRequest(Cluster.LibpqConnectionString) { Incremental = incremental });
        result.Succeeded.ShouldBeTrue(result.Message);
        return result;
    }

    protected abstract Task<RepositoryStore> CreateStoreAsync(string root);

    private async Task CreateAsync()
    {
        Root = await PostgresCluster.CreateDirectoryAsync("rewind-incremental");
        Store = await CreateStoreAsync(Root);
        var key = RandomNumberGenerator.GetBytes(BackupKey.Length);
        await File.WriteAllBytesAsync(KeyFile, key);
        Key = BackupKey.FromBytes(key);
        await PostgresCluster.GiveToPostgresAsync(Root);
        Cluster = await PostgresCluster.CreateAsync(Path.Combine(Root, "source"), new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["archive_mode"] = "on",
            ["archive_command"] = PostgresCluster.Quote($"{BackupScenario.WalTool} push {string.Join(' ', Store.WalToolArguments(RepositoryPath))} --key-file {KeyFile} %p %f"),
        });
        await Cluster.ExecuteAsync("create table item (id int primary key, batch int not null)");
        await InsertBatchAsync(1);
        Full = (await BackUpAsync(Repository(), incremental: false)).Manifest!;
        await InsertBatchAsync(2);
        await Cluster.ExecuteAsync("create table extra as select g as id from generate_series(1, 50) g");
        IncrementalResult = await BackUpAsync(Repository(), incremental: true);
        Incremental = IncrementalResult.Manifest!;
        await InsertBatchAsync(3);
        await SwitchAndArchiveAsync();
        NotedTime = new DateTimeOffset(await Cluster.ScalarAsync<DateTime>("select clock_timestamp()"));
        await InsertBatchAsync(4);
        await SwitchAndArchiveAsync();
    }

    private Task InsertBatchAsync(int batch) => Cluster.ExecuteAsync(string.Create(
        CultureInfo.InvariantCulture,
        $"insert into item select g, {batch} from generate_series({((batch - 1) * 100) + 1}, {batch * 100}) g"));

    private async Task SwitchAndArchiveAsync()
    {
        var segment = await Cluster.ScalarAsync<string>("select pg_walfile_name(pg_switch_wal())");
        await Eventually.WaitAsync(async () => (await Store.KeysAsync(RepositoryPath, $"wal/{segment[..8]}/")).Contains($"wal/{segment[..8]}/{segment}.json"), TimeSpan.FromSeconds(30), $"{segment} to be archived");
    }
}

public sealed class DirectoryIncrementalScenario : IncrementalScenario
{
    protected override Task<RepositoryStore> CreateStoreAsync(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "repo"));
        return Task.FromResult<RepositoryStore>(new DirectoryStore(root));
    }
}

public sealed class ObjectStorageIncrementalScenario : IncrementalScenario
{
    protected override Task<RepositoryStore> CreateStoreAsync(string root) => RepositoryStore.InBucketAsync();
}
