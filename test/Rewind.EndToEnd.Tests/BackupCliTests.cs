using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// The backup commands with the repository in a directory, encrypted, keeping one set (<see cref="BackupCliScenario"/>);
/// and what only a directory shows: verification catching a damaged file, retention removing the older set with the WAL
/// only it needed, a restore killed half-way that leaves the live directory intact.
/// </summary>
public sealed class BackupCliTests : BackupCliScenario
{
    private string Repository => Path.Combine(Root, "repo");

    private string Key => Path.Combine(Root, "backup.key");

    [Fact]
    public async Task Verify_DamagedStoredFile_FailsNamingIt_AndFetchOfAMissingFileExits1()
    {
        await Cluster!.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100)");
        await RunAsync("backup", "run", "db");
        var victim = Directory.EnumerateFiles(Path.Combine(Repository, "sets"), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".json", StringComparison.Ordinal)).OrderByDescending(f => new FileInfo(f).Length).First();
        var bytes = await File.ReadAllBytesAsync(victim);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(victim, bytes);

        using var verify = RewindProcess.Start("backup", "verify", "db", "--config", Config);
        using var fetch = RewindProcess.Start("wal", "fetch", "db", "--config", Config, "0000000100000000000000FF", Path.Combine(Root, "fetched"));

        (await verify.WaitForExitAsync(Limit)).ShouldBe(1, verify.Output);
        verify.Output.ShouldContain("error: ");
        verify.Output.ShouldContain("FAILED");
        (await fetch.WaitForExitAsync(Limit)).ShouldBe(1, fetch.Output);
        fetch.Output.ShouldContain("0000000100000000000000FF is not in the archive");
    }

    [Fact]
    public async Task Expire_AfterASecondBackup_RemovesTheFirstWithTheWalOnlyItNeeded_AndVerifyStillPasses()
    {
        var cluster = Cluster!;
        await cluster.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100)");
        await RunAsync("backup", "run", "db");
        await cluster.ExecuteAsync("INSERT INTO orders SELECT generate_series(101, 200)");
        await cluster.ExecuteAsync("SELECT pg_switch_wal()");
        await Eventually.PastAsync(TimeProvider.System.GetUtcNow().AddMilliseconds(1100), "the first set to be older than retention.age (1s)");
        await RunAsync("backup", "run", "db");
        var sets = Directory.GetDirectories(Path.Combine(Repository, "sets")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        sets.Count.ShouldBe(2);
        var walBefore = Directory.GetFiles(Path.Combine(Repository, "wal", "00000001"), "*.json").Length;

        var dryRun = await RunAsync("backup", "expire", "db", "--dry-run");
        var expired = await RunAsync("backup", "expire", "db");
        var verified = await RunAsync("backup", "verify", "db");

        dryRun.ShouldContain($"would expire 1 set(s) ({sets[0]}) and ");
        expired.ShouldContain($"expired 1 set(s) ({sets[0]}) and ");
        expired.ShouldContain("1 set(s) kept, WAL from ");
        Directory.GetDirectories(Path.Combine(Repository, "sets")).Select(Path.GetFileName).ShouldBe([sets[1]]);
        Directory.GetFiles(Path.Combine(Repository, "wal", "00000001"), "*.json").Length.ShouldBeLessThan(walBefore);
        verified.ShouldContain("verified: 1 set(s)");
    }

    [Fact]
    public async Task RunIncremental_AfterAFullSet_SaysWhatItReferenced_ListsTypeAndParent_AndExpiryKeepsTheChain()
    {
        var cluster = Cluster!;
        await cluster.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100)");
        var first = await RunAsync("backup", "run", "db", "--incremental");
        await cluster.ExecuteAsync("INSERT INTO orders SELECT generate_series(101, 200)");
        await Eventually.PastAsync(TimeProvider.System.GetUtcNow().AddMilliseconds(1100), "the full set to be older than retention.age (1s)");
        var second = await RunAsync("backup", "run", "db", "--incremental");
        var sets = Directory.GetDirectories(Path.Combine(Repository, "sets")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        var listed = await RunAsync("backup", "list", "db");
        var expired = await RunAsync("backup", "expire", "db");
        var verified = await RunAsync("backup", "verify", "db");

        first.ShouldContain("full taken (incremental requested: no earlier set): set ");
        second.ShouldContain($"incremental set {sets[1]} on {sets[0]}: ");
        second.ShouldContain(" files referenced, ");
        listed.ShouldContain("incremental");
        listed.ShouldContain($"incremental │ {sets[0]}"); // the type and parent columns of the incremental's row
        expired.ShouldContain("expired 0 set(s) and ");
        expired.ShouldContain("2 set(s) kept");
        verified.ShouldContain("verified: 2 set(s)");
    }

    [Fact]
    public async Task Restore_KilledWhileRecovering_LeavesTheLiveDirectoryIntact_AndARerunFinishesTheJob()
    {
        var cluster = Cluster!;
        await cluster.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100)");
        await RunAsync("backup", "run", "db");
        await cluster.ExecuteAsync("INSERT INTO orders SELECT generate_series(101, 200)");
        var noted = new DateTimeOffset(await cluster.ScalarAsync<DateTime>("SELECT clock_timestamp()"), TimeSpan.Zero).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.PastAsync(TimeProvider.System.GetUtcNow().AddMilliseconds(100), "a moment after the noted one");
        await cluster.ExecuteAsync("INSERT INTO orders SELECT generate_series(201, 300); SELECT pg_switch_wal()");
        await Eventually.WaitAsync(async () => await cluster.ScalarAsync<long>("SELECT archived_count FROM pg_stat_archiver") >= 2 ? (object)true : null, Limit, "the WAL to be archived");
        await cluster.StopAsync();

        using (var killed = RewindProcess.Start("backup", "restore", "db", "--time", noted, "--yes", "--config", Config))
        {
            await Eventually.WaitAsync(() => Task.FromResult(killed.Output.Contains("recovering", StringComparison.Ordinal) ? (object)true : null), Limit, "the restore to reach recovery");
            killed.KillHard(); // SIGKILL: no cleanup runs; the restored copy's server is left running
        }

        Directory.GetDirectories(Root, "data.restoring-*").ShouldNotBeEmpty(); // the half-done copy, beside
        await cluster.StartAsync();
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM orders")).ShouldBe(300); // the live directory, untouched
        await cluster.StopAsync();
        var rerun = await RunAsync("backup", "restore", "db", "--time", noted, "--yes");
        await cluster.StartAsync();

        rerun.ShouldContain("restored db from set ");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM orders")).ShouldBe(200);
        Directory.GetDirectories(Root, "data.restoring-*").ShouldBeEmpty(); // the leftover (and its server) removed first
        Directory.GetDirectories(Root, "data.replaced-*").ShouldHaveSingleItem();
    }

    protected override async Task PrepareAsync()
    {
        await File.WriteAllBytesAsync(Key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Directory.CreateDirectory(Repository);
    }

    protected override string RepositoryConfig() => $$"""
              repository: {{Repository}}
              encryption: { key-file: {{Key}} }
              retention: { count: 1, age: 1s }
        """;

    protected override Task CheckRepositoryAsync(string listed)
    {
        Directory.GetFiles(Path.Combine(Repository, "sets"), "manifest.json", SearchOption.AllDirectories).ShouldHaveSingleItem();
        return Task.CompletedTask;
    }
}
