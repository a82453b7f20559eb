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
/// Shared by the backup tests, which restore and verify copies and never change it.
/// </summary>
public sealed class BackupScenario : IAsyncLifetime
{
    public const string RestorePoint = "before-batch-4";

    public string Root { get; private set; } = "";

    public string RepositoryPath => Path.Combine(Root, "repo");

    public string KeyFile => Path.Combine(Root, "backup.key");

    public BackupKey Key { get; private set; } = null!;

    public PostgresCluster? Cluster { get; private set; }

    public BackupManifest Set { get; private set; } = null!;

    public DateTimeOffset NotedTime { get; private set; }

    /// <summary>The segments archived after the backup, one per batch (2, 3, 4).</summary>
    public IReadOnlyList<string> BatchSegments { get; private set; } = [];

    public static string WalTool => Path.Combine(TestUtils.Repository.BuildOutput("Rewind.WalTool"), "Rewind.WalTool");

    public static PostgresToolOptions Tools => new(PostgresCluster.BinDirectory) { RunAsUser = PostgresCluster.RunAsUser, BaseBackupTimeout = TimeSpan.FromSeconds(60) };

    public BackupRepository Repository(string? path = null, BackupKey? key = null) =>
        new(new BackupRepositoryOptions(path ?? RepositoryPath) { Key = key ?? Key });

    /// <summary>The restore_command prefix that fetches from <paramref name="repository"/>.</summary>
    public IReadOnlyList<string> FetchCommand(string? repository = null) =>
        [WalTool, "fetch", "--repository", repository ?? RepositoryPath, "--key-file", KeyFile];

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

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private async Task CreateAsync()
    {
        Root = await PostgresCluster.CreateDirectoryAsync("rewind-backups");
        Directory.CreateDirectory(RepositoryPath);
        var key = RandomNumberGenerator.GetBytes(BackupKey.Length);
        await File.WriteAllBytesAsync(KeyFile, key);
        Key = BackupKey.FromBytes(key);
        await PostgresCluster.GiveToPostgresAsync(Root);
        Cluster = await PostgresCluster.CreateAsync(Path.Combine(Root, "source"), new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["archive_mode"] = "on",
            ["archive_command"] = PostgresCluster.Quote($"{WalTool} push --repository {RepositoryPath} --key-file {KeyFile} %p %f"),
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
        await Eventually.WaitAsync(() => Task.FromResult(segments.TrueForAll(IsArchived)), TimeSpan.FromSeconds(30), "the batch segments to be archived");
    }

    /// <summary>A copy of the repository a test may damage.</summary>
    public async Task<string> CopyRepositoryAsync()
    {
        var copy = Path.Combine(Root, "repo-" + Guid.NewGuid().ToString("N")[..8]);
        await PostgresCluster.RunAsync("cp", "-a", RepositoryPath, copy);
        return copy;
    }

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

    private bool IsArchived(string segment) => File.Exists(Path.Combine(RepositoryPath, "wal", segment[..8], segment + ".json"));

    private Task InsertBatchAsync(int batch) => Cluster!.ExecuteAsync(string.Create(
        CultureInfo.InvariantCulture,
        $"insert into item select g, {batch} from generate_series({((batch - 1) * 100) + 1}, {batch * 100}) g"));

    private Task<string> SwitchWalAsync() => Cluster!.ScalarAsync<string>("select pg_walfile_name(pg_switch_wal())");
}

[CollectionDefinition(Name)]
public sealed class BackupScenarioGroup : ICollectionFixture<BackupScenario>
{
    public const string Name = "backups on a real cluster";
}
