using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// The backup commands with the repository in S3-compatible object storage (the test's s3rver), its credentials given as
/// <c>{{secret.NAME}}</c>: <c>rewind wal push</c> as the <c>archive_command</c>, a base backup, verification with a restore
/// drill, and a point-in-time restore through <c>rewind wal fetch</c>, all from the config alone.
/// </summary>
public sealed class ObjectStorageBackupCliTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private string _root = "";
    private PostgresCluster? _cluster;
    private S3Bucket? _bucket;

    private string Config => Path.Combine(_root, "rewind.yaml");

    private string Data => Path.Combine(_root, "data");

    public async Task InitializeAsync()
    {
        _bucket = await S3Bucket.CreateAsync();
        _root = await PostgresCluster.CreateDirectoryAsync("rewind-backup-s3-cli");
        await PostgresCluster.GiveToPostgresAsync(_root);
        var rewind = Path.Combine(TestUtils.Repository.BuildOutput("Rewind.Cli"), "rewind");
        _cluster = await PostgresCluster.CreateAsync(Data, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["archive_mode"] = "on",
            ["archive_command"] = PostgresCluster.Quote($"{rewind} wal push db --config {Config} %p %f"),
        });
        await File.WriteAllTextAsync(Config, ConfigText(_bucket.Location("db"), "REWIND_TEST_S3_ACCESS_KEY"));
        await PostgresCluster.GiveToPostgresAsync(_root);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_bucket is not null)
        {
            await _bucket.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task BackupVerifyAndRestoreToATime_FromObjectStorage_BringBackExactlyTheRowsBeforeIt()
    {
        var cluster = _cluster!;
        await cluster.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100)");
        (await RunAsync("backup", "run", "db")).ShouldContain("backup ");
        await cluster.ExecuteAsync("INSERT INTO orders SELECT generate_series(101, 200)");
        var noted = await cluster.ScalarAsync<DateTime>("SELECT clock_timestamp()");
        await Task.Delay(100);
        await cluster.ExecuteAsync("INSERT INTO orders SELECT generate_series(201, 300)");
        await cluster.ExecuteAsync("SELECT pg_switch_wal()");
        await Eventually.WaitAsync(async () => await cluster.ScalarAsync<long>("SELECT archived_count FROM pg_stat_archiver") >= 2 && await cluster.ScalarAsync<long>("SELECT failed_count FROM pg_stat_archiver") == 0 ? (object)true : null, Limit, "the WAL to be archived into object storage");

        var listed = await RunAsync("backup", "list", "db");
        var verified = await RunAsync("backup", "verify", "db", "--full");
        await cluster.StopAsync();
        var restored = await RunAsync("backup", "restore", "db", "--time", new DateTimeOffset(noted, TimeSpan.Zero).ToString("O", System.Globalization.CultureInfo.InvariantCulture), "--yes");
        await using var back = await PostgresCluster.StartExistingAsync(Data);

        listed.ShouldContain("unbroken from set");
        verified.ShouldContain("verified: 1 set(s)");
        verified.ShouldContain("restore drill passed: set ");
        restored.ShouldContain("restored db from set ");
        (await back.ScalarAsync<long>("SELECT count(*) FROM orders")).ShouldBe(200);
        (await _bucket!.KeysAsync("db/sets/")).ShouldContain(key => key.EndsWith("/manifest.json", StringComparison.Ordinal));
        listed.ShouldNotContain(_bucket.SecretKey + "@");
    }

    [Fact]
    public async Task AnyCommand_SecretVariableUnset_FailsNamingTheVariable()
    {
        await File.WriteAllTextAsync(Config, ConfigText(_bucket!.Location("db"), "REWIND_TEST_S3_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()));

        using var list = RewindProcess.Start("backup", "list", "db", "--config", Config);

        (await list.WaitForExitAsync(Limit)).ShouldNotBe(0, list.Output);
        list.Output.ShouldContain("backups.s3: secret REWIND_TEST_S3_UNSET_");
        list.Output.ShouldContain("the environment variable is not set");
    }

    private string ConfigText(string repository, string accessKeyVariable) => $$$"""
        components:
          db:
            provider: { postgres: { url: "postgres://postgres@127.0.0.1:{{{_cluster!.Port}}}/postgres", data-directory: {{{Data}}}{{{(PostgresCluster.RunAsUser is { } user ? ", run-as: " + user : "")}}} } }
            probes: { up: { tcp: { host: 127.0.0.1, port: {{{_cluster.Port}}} } } }
            backups:
              repository: {{{repository}}}
              s3: { endpoint: "{{{_bucket!.Endpoint}}}", access-key: "{{secret.{{{accessKeyVariable}}}}}", secret-key: "{{secret.REWIND_TEST_S3_SECRET_KEY}}", work-directory: {{{Path.Combine(_root, "work")}}} }
              verify: { queries: [ { name: rows, sql: "SELECT count(*) FROM orders" } ] }
        """;

    private async Task<string> RunAsync(params string[] args)
    {
        using var process = RewindProcess.Start([.. args, "--config", Config]);
        (await process.WaitForExitAsync(Limit)).ShouldBe(0, process.Output);
        return process.Output;
    }
}
