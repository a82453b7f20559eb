using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// Logical dumps and file backups as an operator runs them: a dump of a real cluster, one table restored under a new
/// schema beside the damaged live one, the whole dump into a new database (and an existing name refused), a file
/// backup restored into a new directory, listing, and verification that catches a damaged file.
/// </summary>
public sealed class BackupDumpCliTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private string _root = "";
    private PostgresCluster? _cluster;

    private string Config => Path.Combine(_root, "rewind.yaml");

    private string Uploads => Path.Combine(_root, "uploads");

    public async Task InitializeAsync()
    {
        _root = await PostgresCluster.CreateDirectoryAsync("rewind-dump-cli");
        var key = Path.Combine(_root, "backup.key");
        await File.WriteAllBytesAsync(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _cluster = await PostgresCluster.CreateAsync(Path.Combine(_root, "data"));
        Directory.CreateDirectory(Path.Combine(Uploads, "2026", "11"));
        await File.WriteAllTextAsync(Path.Combine(Uploads, "2026", "11", "invoice.pdf"), "%PDF-1.7 not really");
        File.CreateSymbolicLink(Path.Combine(Uploads, "latest.pdf"), "2026/11/invoice.pdf");
        await File.WriteAllTextAsync(Config, $$"""
            components:
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:{{_cluster.Port}}/postgres", data-directory: {{_root}}/data{{(PostgresCluster.RunAsUser is { } user ? ", run-as: " + user : "")}} } }
                probes: { up: { tcp: { host: 127.0.0.1, port: {{_cluster.Port}} } } }
                backups:
                  repository: {{_root}}/repo-db
                  encryption: { key-file: {{key}} }
                  logical: { schedule: "0 0 2 * * ?" }
              web:
                provider: { release-dir: { path: {{_root}}/app } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } }
                backups:
                  repository: {{_root}}/repo-web
                  compression: none
                  files: { paths: [{{Uploads}}] }
            """);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task DumpThenRestoreATableAndTheDatabase_NeverOverwritingLiveData()
    {
        var cluster = _cluster!;
        await cluster.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY, total int); INSERT INTO orders SELECT i, i * 10 FROM generate_series(1, 20) AS i");
        var dumped = await RunAsync("backup", "dump", "db");
        await cluster.ExecuteAsync("DELETE FROM orders WHERE id > 5; UPDATE orders SET total = 0");

        var table = await RunAsync("backup", "restore-table", "db", "--table", "orders", "--schema", "before_incident");
        var database = await RunAsync("backup", "restore-dump", "db", "--into", "shop_copy");
        using var again = RewindProcess.Start("backup", "restore-dump", "db", "--into", "shop_copy", "--config", Config);
        var listed = await RunAsync("backup", "list", "db");
        var verified = await RunAsync("backup", "verify", "db");

        dumped.ShouldStartWith("dump ");
        table.ShouldContain("public.orders -> before_incident.orders: 20 rows");
        table.ShouldContain("the live tables are untouched");
        (await cluster.ScalarAsync<long>("SELECT sum(total) FROM before_incident.orders")).ShouldBe(2100);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM public.orders")).ShouldBe(5);
        (await cluster.ScalarAsync<long>("SELECT sum(total) FROM public.orders")).ShouldBe(0);
        database.ShouldContain("into the new database shop_copy: 1 table(s)", Case.Sensitive, database);
        (await again.WaitForExitAsync(Limit)).ShouldBe(1, again.Output);
        again.Output.ShouldContain("error: database shop_copy exists: a dump is restored only into a new database");
        listed.ShouldContain(dumped.Split(' ', ':')[1]);
        listed.ShouldContain("postgres");
        verified.ShouldContain("verified: 0 set(s), 1 dump(s), 0 file set(s)");
    }

    [Fact]
    public async Task FilesThenRestoreFiles_SameBytesAndLinkInANewDirectory_AndVerifyCatchesDamage()
    {
        var backedUp = await RunAsync("backup", "files", "web");
        var restored = await RunAsync("backup", "restore-files", "web", "--to", Path.Combine(_root, "restored"));
        var listed = await RunAsync("backup", "list", "web");
        var stored = Directory.EnumerateFiles(Path.Combine(_root, "repo-web", "files"), "invoice.pdf", SearchOption.AllDirectories).Single();
        await File.WriteAllTextAsync(stored, "%PDF-1.7 not reallY");
        using var verify = RewindProcess.Start("backup", "verify", "web", "--config", Config);

        backedUp.ShouldContain("1 files, 3 directories, 1 links");
        restored.ShouldContain("restored file set ");
        var copy = Path.Combine(_root, "restored", Uploads.TrimStart('/'));
        (await File.ReadAllTextAsync(Path.Combine(copy, "2026", "11", "invoice.pdf"))).ShouldBe("%PDF-1.7 not really");
        new FileInfo(Path.Combine(copy, "latest.pdf")).LinkTarget.ShouldBe("2026/11/invoice.pdf");
        listed.ShouldContain("file set");
        listed.ShouldNotContain("WAL needed");
        (await verify.WaitForExitAsync(Limit)).ShouldBe(1, verify.Output);
        verify.Output.ShouldContain("invoice.pdf: checksum mismatch");
    }

    private async Task<string> RunAsync(params string[] args)
    {
        using var process = RewindProcess.Start([.. args, "--config", Config]);
        (await process.WaitForExitAsync(Limit)).ShouldBe(0, process.Output);
        return process.Output;
    }
}
