using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// The backup commands as an operator runs them, on a real cluster whose <c>archive_command</c> is <c>rewind wal push</c>:
/// a base backup, verification with a restore drill, and a point-in-time restore through <c>rewind wal fetch</c> to exactly
/// the rows before a noted time, the live directory kept; with the repository in a directory (<see cref="BackupCliTests"/>)
/// and in S3-compatible object storage (<see cref="ObjectStorageBackupCliTests"/>), all from the config alone.
/// </summary>
public abstract class BackupCliScenario : IAsyncLifetime
{
    protected static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    protected string Root { get; private set; } = "";

    protected PostgresCluster? Cluster { get; private set; }

    protected string Config => Path.Combine(Root, "rewind.yaml");

    protected string Data => Path.Combine(Root, "data");

    public async Task InitializeAsync()
    {
        Root = await PostgresCluster.CreateDirectoryAsync("rewind-backup-cli");
        await PrepareAsync();
        await PostgresCluster.GiveToPostgresAsync(Root);
        var rewind = Path.Combine(TestUtils.Repository.BuildOutput("Rewind.Cli"), "rewind");
        Cluster = await PostgresCluster.CreateAsync(Data, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["archive_mode"] = "on",
            ["archive_command"] = PostgresCluster.Quote($"{rewind} wal push db --config {Config} %p %f"),
        });
        await File.WriteAllTextAsync(Config, ConfigText(RepositoryConfig()));
        await PostgresCluster.GiveToPostgresAsync(Root);
    }

    public virtual async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
    }

    [Fact]
    public async Task BackupVerifyAndRestoreToATime_BringBackExactlyTheRowsBeforeIt_AndKeepTheLiveDirectory()
    {
        var cluster = Cluster!;
        await cluster.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100)");
        (await RunAsync("backup", "run", "db")).ShouldContain("backup ");
        await cluster.ExecuteAsync("INSERT INTO orders SELECT generate_series(101, 200)");
        var noted = await cluster.ScalarAsync<DateTime>("SELECT clock_timestamp()");
        await Eventually.PastAsync(TimeProvider.System.GetUtcNow().AddMilliseconds(100), "a moment after the noted one");
        await cluster.ExecuteAsync("INSERT INTO orders SELECT generate_series(201, 300)");
        await cluster.ExecuteAsync("SELECT pg_switch_wal()");
        await Eventually.WaitAsync(async () => await cluster.ScalarAsync<long>("SELECT archived_count FROM pg_stat_archiver") >= 2 && await cluster.ScalarAsync<long>("SELECT failed_count FROM pg_stat_archiver") == 0 ? (object)true : null, Limit, "the WAL to be archived by rewind wal push");

        var listed = await RunAsync("backup", "list", "db");
        var verified = await RunAsync("backup", "verify", "db", "--full");
        await cluster.StopAsync();
        var restored = await RunAsync("backup", "restore", "db", "--time", new DateTimeOffset(noted, TimeSpan.Zero).ToString("O", System.Globalization.CultureInfo.InvariantCulture), "--yes");
        await using var back = await PostgresCluster.StartExistingAsync(Data);

        listed.ShouldContain("unbroken from set");
        verified.ShouldContain("verified: 1 set(s)");
        verified.ShouldContain("restore drill passed: set ");
        verified.ShouldContain("check ok: SELECT (SELECT count(*) FROM orders WHERE id < 0) = 0");
        verified.ShouldContain("recorded as a restore drill of db in the store: the backup signals count it");
        await DrillCountsAsync();
        Directory.GetDirectories(Path.GetTempPath(), "rewind-drill-db-*").ShouldBeEmpty();
        restored.ShouldContain("restored db from set ");
        restored.ShouldContain("check ok: SELECT (SELECT count(*) FROM orders) > 0 -> ");
        restored.ShouldContain("check ok: SELECT (SELECT count(*) FROM orders WHERE id < 0) = 0");
        (await back.ScalarAsync<long>("SELECT count(*) FROM orders")).ShouldBe(200);
        (await back.ScalarAsync<int>("SELECT max(id) FROM orders")).ShouldBe(200);
        Directory.GetDirectories(Root, "data.replaced-*").ShouldHaveSingleItem(); // the live directory, kept
        await CheckRepositoryAsync(listed);
    }

    /// <summary>The drill run by hand is in the config's store as the schedule's are, so <c>backup.verify-failing</c> reads 0 now.</summary>
    private async Task DrillCountsAsync()
    {
        await using var opened = (IAsyncDisposable)Rewind.Storage.StoreFactory.Open($"sqlite:{Path.Combine(Root, "rewind.db")}");
        var runs = await ((Rewind.Core.Storage.IStore)opened).GetBackupRunsAsync("db", 10);
        runs.ShouldContain(r => r.Kind == Rewind.Core.Backups.BackupRun.Verify && r.Succeeded);
        runs.ShouldContain(r => r.Kind == Rewind.Core.Backups.BackupRun.Drill && r.Succeeded && r.Summary.StartsWith("by hand: ", StringComparison.Ordinal));
        var signals = Rewind.Core.Backups.BackupSignals.Measure("db", TimeProvider.System.GetUtcNow(), null, null, runs, TimeSpan.FromDays(1));
        signals.Single(p => p.Signal == Rewind.Core.Backups.BackupSignals.VerifyFailing).Value.ShouldBe(0);
    }

    /// <summary>Made before the cluster: the repository, a key.</summary>
    protected abstract Task PrepareAsync();

    /// <summary>The <c>backups</c> keys that say where the repository is (indented as the config's <c>backups</c> entries).</summary>
    protected abstract string RepositoryConfig();

    /// <summary>What the repository holds after the backup, as its kind shows it.</summary>
    protected abstract Task CheckRepositoryAsync(string listed);

    protected string ConfigText(string repository) => $$$"""
        components:
          db:
            provider: { postgres: { url: "postgres://postgres@127.0.0.1:{{{Cluster!.Port}}}/postgres", data-directory: {{{Data}}}{{{(PostgresCluster.RunAsUser is { } user ? ", run-as: " + user : "")}}} } }
            probes: { up: { tcp: { host: 127.0.0.1, port: {{{Cluster.Port}}} } } }
            backups:
        {{{repository}}}
              verify: { queries: [ { name: rows, sql: "SELECT count(*) FROM orders" }, { name: no-negative-ids, sql: "SELECT count(*) FROM orders WHERE id < 0", expect: "= 0" } ] }
        """;

    protected async Task<string> RunAsync(params string[] args)
    {
        using var process = RewindProcess.Start([.. args, "--config", Config]);
        (await process.WaitForExitAsync(Limit)).ShouldBe(0, process.Output);
        return process.Output;
    }
}
