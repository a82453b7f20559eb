using System.Globalization;
using System.Security.Cryptography;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// A real cluster whose <c>archive_command</c> pushes its WAL through the WAL tool into an encrypted, gzip-compressed
/// repository, in a directory or in a bucket of the test's S3-compatible server; a subclass writes its history into it
/// (<see cref="WriteHistoryAsync"/>). Tests restore, verify and expire copies and never change the repository itself.
/// </summary>
public abstract class ArchivingScenario(string name, bool inObjectStorage) : IAsyncLifetime
{
    public static string WalTool => Path.Combine(TestUtils.Repository.BuildOutput("Rewind.WalTool"), "Rewind.WalTool");

    public static PostgresToolOptions Tools => new(PostgresCluster.BinDirectory) { RunAsUser = PostgresCluster.RunAsUser, BaseBackupTimeout = TimeSpan.FromSeconds(60) };

    public string Root { get; private set; } = "";

    /// <summary>Where the repositories of this scenario live.</summary>
    public RepositoryStore Store { get; private set; } = null!;

    /// <summary>The scenario's repository: a directory path or <c>s3://bucket/repo</c>.</summary>
    public string RepositoryPath => Store.Location("repo");

    public string KeyFile => Path.Combine(Root, "backup.key");

    public BackupKey Key { get; private set; } = null!;

    public PostgresCluster Cluster { get; private set; } = null!;

    public BackupRepository Repository(string? path = null, BackupKey? key = null) => Store.Repository(path ?? RepositoryPath, key ?? Key);

    /// <summary>The restore_command prefix that fetches from <paramref name="repository"/>.</summary>
    public IReadOnlyList<string> FetchCommand(string? repository = null) =>
        [WalTool, "fetch", .. Store.WalToolArguments(repository ?? RepositoryPath), "--key-file", KeyFile];

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

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
            await WriteHistoryAsync();
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

    /// <summary>The scenario's history: tables, batches, backups, WAL switches.</summary>
    protected abstract Task WriteHistoryAsync();

    /// <summary>Inserts batch <paramref name="batch"/> of <c>item</c>: ids 100 × (batch − 1) + 1 to 100 × batch.</summary>
    protected Task InsertBatchAsync(int batch) => Cluster.ExecuteAsync(string.Create(
        CultureInfo.InvariantCulture,
        $"insert into item select g, {batch} from generate_series({((batch - 1) * 100) + 1}, {batch * 100}) g"));

    /// <summary>Ends the current WAL segment and returns its name.</summary>
    protected Task<string> SwitchWalAsync() => Cluster.ScalarAsync<string>("select pg_walfile_name(pg_switch_wal())");

    protected async Task<bool> IsArchivedAsync(string segment) =>
        (await Store.KeysAsync(RepositoryPath, $"wal/{segment[..8]}/")).Contains($"wal/{segment[..8]}/{segment}.json");

    /// <summary>Ends the current WAL segment and waits until the archive holds it.</summary>
    protected async Task SwitchAndArchiveAsync()
    {
        var segment = await SwitchWalAsync();
        await Eventually.WaitAsync(() => IsArchivedAsync(segment), TimeSpan.FromSeconds(30), $"{segment} to be archived");
    }

    private async Task StartAsync()
    {
        Root = await PostgresCluster.CreateDirectoryAsync(name);
        if (inObjectStorage)
        {
            Store = await RepositoryStore.InBucketAsync();
        }
        else
        {
            Directory.CreateDirectory(Path.Combine(Root, "repo"));
            Store = await RepositoryStore.InDirectoryAsync(Root);
        }

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
    }
}
