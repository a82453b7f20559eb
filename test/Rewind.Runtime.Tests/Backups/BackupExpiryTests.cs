using System.Globalization;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// A real cluster archiving into its own repository, with three base backups and WAL between and after them; the
/// repository in a directory (<see cref="DirectoryExpiryScenario"/>) or in object storage (<see cref="ObjectStorageExpiryScenario"/>).
/// </summary>
public abstract class ExpiryScenario : IAsyncLifetime
{
    private PostgresCluster? _cluster;
    private readonly List<BackupManifest> _sets = [];

    public string Root { get; private set; } = "";

    public RepositoryStore Store { get; private set; } = null!;

    public string RepositoryPath => Store.Location("repo");

    public IReadOnlyList<BackupManifest> Sets => _sets;

    public async Task InitializeAsync()
    {
        Root = await PostgresCluster.CreateDirectoryAsync("rewind-expiry");
        Store = await CreateStoreAsync(Root);
        await PostgresCluster.GiveToPostgresAsync(Root);
        _cluster = await PostgresCluster.CreateAsync(Path.Combine(Root, "source"), new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["archive_mode"] = "on",
            ["archive_command"] = PostgresCluster.Quote($"{BackupScenario.WalTool} push {string.Join(' ', Store.WalToolArguments(RepositoryPath))} %p %f"),
        });
        await _cluster.ExecuteAsync("create table item (id int primary key)");
        for (var batch = 0; batch < 3; batch++)
        {
            await InsertAsync(batch);
            await SwitchAndArchiveAsync();
            var backup = await new BaseBackup(Store.Repository(RepositoryPath), BackupScenario.Tools).RunAsync(new BaseBackupRequest(_cluster.LibpqConnectionString));
            backup.Succeeded.ShouldBeTrue(backup.Message);
            _sets.Add(backup.Manifest!);
        }

        await InsertAsync(3);
        await SwitchAndArchiveAsync();
        await _cluster.StopAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
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

    /// <summary>A copy of the repository a test may expire.</summary>
    public Task<string> CopyRepositoryAsync() => Store.CopyAsync(RepositoryPath);

    protected abstract Task<RepositoryStore> CreateStoreAsync(string root);

    private Task InsertAsync(int batch) => _cluster!.ExecuteAsync(string.Create(
        CultureInfo.InvariantCulture, $"insert into item select g from generate_series({(batch * 100) + 1}, {(batch + 1) * 100}) g"));

    private async Task SwitchAndArchiveAsync()
    {
        var segment = await _cluster!.ScalarAsync<string>("select pg_walfile_name(pg_switch_wal())");
        await Eventually.WaitAsync(async () => (await Store.KeysAsync(RepositoryPath, $"wal/{segment[..8]}/")).Contains($"wal/{segment[..8]}/{segment}.json"), TimeSpan.FromSeconds(30), $"{segment} to be archived");
    }
}

public sealed class DirectoryExpiryScenario : ExpiryScenario
{
    protected override Task<RepositoryStore> CreateStoreAsync(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "repo"));
        return Task.FromResult<RepositoryStore>(new DirectoryStore(root));
    }
}

public sealed class ObjectStorageExpiryScenario : ExpiryScenario
{
    protected override Task<RepositoryStore> CreateStoreAsync(string root) => RepositoryStore.InBucketAsync();
}

/// <summary>Retention applied to a real repository: three base backups of a real cluster with WAL between them; in a directory and in object storage.</summary>
public abstract class BackupExpiryTests(ExpiryScenario scenario)
{
    [Fact]
    public async Task ExpireAsync_CountTwo_RemovesTheOldestSetAndOnlyTheWalBeforeTheOldestKept_AndThatSetStillRestoresToTheEnd()
    {
        var path = await scenario.CopyRepositoryAsync();
        var repository = Repository(path);
        var walBefore = await repository.ListWalAsync();

        var result = await new BackupExpiry(repository).ExpireAsync(count: 2, age: TimeSpan.FromTicks(1));

        result.Expired.ShouldBe([scenario.Sets[0].SetId]);
        result.Kept.ShouldBe([scenario.Sets[1].SetId, scenario.Sets[2].SetId]);
        result.WalKeptFrom.ShouldBe(scenario.Sets[1].WalStart);
        (await repository.ListSetsAsync()).Select(s => s.SetId).ShouldBe(result.Kept);
        var keptFrom = WalSegmentName.Parse(scenario.Sets[1].WalStart);
        var walAfter = (await repository.ListWalAsync()).Select(e => e.Name).ToList();
        var expected = walBefore.Select(e => e.Name).Where(name => WalFileName.TryParse(name) is not { Segment: { } s } || s >= keptFrom).ToList();
        walAfter.ShouldBe(expected);
        result.WalFilesExpired.ShouldBe(walBefore.Count - expected.Count);
        result.WalFilesExpired.ShouldBeGreaterThan(0);
        (Directory.Exists(repository.WorkDirectory) ? Directory.EnumerateFileSystemEntries(repository.WorkDirectory) : []).ShouldBeEmpty();

        var report = await new BackupVerifier(repository).VerifyAsync();
        report.Passed.ShouldBeTrue(string.Join("\n", report.Findings));

        // The oldest kept set, replayed over the WAL that is left, reaches every row.
        var live = Path.Combine(scenario.Root, "live-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(live);
        var restored = await new PointInTimeRestore(repository, BackupScenario.Tools).RestoreAsync(
            new RestoreRequest(live, RestoreTarget.EndOfWal, [BackupScenario.WalTool, "fetch", .. scenario.Store.WalToolArguments(path)]) { SetId = scenario.Sets[1].SetId, RecoveryTimeout = TimeSpan.FromSeconds(60) });
        restored.Succeeded.ShouldBeTrue(restored.Message + "\n" + restored.ServerLog);
        await using var check = await PostgresCluster.StartExistingAsync(live);
        (await check.ScalarAsync<long>("select count(*) from item")).ShouldBe(400);
    }

    [Fact]
    public async Task ExpireAsync_DryRun_NamesWhatWouldGoAndRemovesNothing()
    {
        var before = await scenario.Store.KeysAsync(scenario.RepositoryPath, "");

        var result = await new BackupExpiry(Repository(scenario.RepositoryPath)).ExpireAsync(count: 1, age: TimeSpan.FromTicks(1), dryRun: true);

        result.DryRun.ShouldBeTrue();
        result.Expired.ShouldBe([scenario.Sets[0].SetId, scenario.Sets[1].SetId]);
        result.BytesFreed.ShouldBeGreaterThan(0);
        result.Describe().ShouldStartWith($"would expire 2 set(s) ({scenario.Sets[0].SetId}, {scenario.Sets[1].SetId}) and {result.WalFilesExpired} WAL file(s)");
        (await scenario.Store.KeysAsync(scenario.RepositoryPath, "")).ShouldBe(before);
    }

    [Fact]
    public async Task ExpireAsync_YoungSetsBeyondCount_AreKeptWithTheirWal()
    {
        var result = await new BackupExpiry(Repository(scenario.RepositoryPath)).ExpireAsync(count: 1, age: TimeSpan.FromDays(30), dryRun: true);

        result.Expired.ShouldBeEmpty();
        result.WalKeptFrom.ShouldBe(scenario.Sets[0].WalStart); // only WAL from before the first backup, which no set needs, goes
        result.Kept.Count.ShouldBe(3);
    }

    [Fact]
    public async Task ExpireAsync_LeftoversOfKilledWork_AreRemoved_WorkInProgressIsNot()
    {
        var path = await scenario.CopyRepositoryAsync();
        var tmp = Repository(path).WorkDirectory;
        var killed = Path.Combine(tmp, "20260101T000000000Z");
        Directory.CreateDirectory(Path.Combine(killed, "staging"));
        await File.WriteAllTextAsync(killed + ".lock", ""); // a lock file nobody holds: its process is gone
        var running = Path.Combine(tmp, "20260101T000001000Z");
        Directory.CreateDirectory(running);
        var expiry = new BackupExpiry(Repository(path)) { LeftoverLockAge = TimeSpan.Zero };

        // Held the way a running backup holds it: open with an exclusive lock.
        using (new FileStream(running + ".lock", FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            var result = await expiry.ExpireAsync(count: 3, age: TimeSpan.FromDays(30));

            result.Leftovers.ShouldBe([Path.GetFileName(killed)]);
            Directory.Exists(killed).ShouldBeFalse();
            File.Exists(killed + ".lock").ShouldBeFalse();
            Directory.Exists(running).ShouldBeTrue();
        }

    }

    [Fact]
    public async Task ExpireAsync_FileSets_AreCountedOnTheirOwn_OldestGo_AndTheNewestStillRestores()
    {
        var root = Directory.CreateTempSubdirectory("rewind-expiry-files-").FullName;
        var location = scenario.Store.Location("files-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var uploads = Path.Combine(root, "uploads");
            Directory.CreateDirectory(uploads);
            var repository = Repository(location);
            var ids = new List<string>();
            for (var i = 1; i <= 3; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(uploads, "version.txt"), $"version {i}");
                var backup = await new FileBackup(repository).RunAsync(new FileBackupRequest([uploads]));
                backup.Succeeded.ShouldBeTrue(backup.Message);
                ids.Add(backup.Manifest!.SetId);
                await Eventually.PastAsync(TimeProvider.System.GetUtcNow().AddMilliseconds(5), "a later set id"); // distinct set ids
            }

            var result = await new BackupExpiry(repository).ExpireAsync(count: 1, age: TimeSpan.FromTicks(1));
            var restored = await new FileRestore(repository).RestoreAsync(new FileRestoreRequest(Path.Combine(root, "restored")));

            result.FileSetsExpired.ShouldBe(ids.Take(2));
            result.Expired.ShouldBeEmpty(); // no base backup in this repository, and no WAL touched
            result.Describe().ShouldStartWith($"expired 0 set(s) and 0 WAL file(s), 2 file set(s) ({ids[0]}, {ids[1]}), ");
            (await repository.ListFileSetsAsync()).Select(s => s.SetId).ShouldBe([ids[2]]);
            restored.Succeeded.ShouldBeTrue(restored.Message);
            (await File.ReadAllTextAsync(Path.Combine(root, "restored", uploads.TrimStart('/'), "version.txt"))).ShouldBe("version 3");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private BackupRepository Repository(string path) => scenario.Store.Repository(path);

    public sealed class InDirectory(DirectoryExpiryScenario scenario) : BackupExpiryTests(scenario), IClassFixture<DirectoryExpiryScenario>;

    public sealed class InObjectStorage(ObjectStorageExpiryScenario scenario) : BackupExpiryTests(scenario), IClassFixture<ObjectStorageExpiryScenario>;
}
