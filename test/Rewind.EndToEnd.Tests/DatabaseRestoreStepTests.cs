using System.Globalization;
using Rewind.Client;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A rollback whose plan restores the database: a real controller (<c>rewind serve</c>), a real cluster archiving through
/// <c>rewind wal push</c>, a release of the application recorded (so a restore point marks the database just before it),
/// rows written after it, then the rollback: snapshot, its own approval by a second person, the restore in place, the switch.
/// </summary>
public sealed class DatabaseRestoreStepTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task RollbackWithARestoreStep_WaitsForASecondApprover_ThenPutsTheDatabaseBackToJustBeforeTheRelease()
    {
        var root = await PostgresCluster.CreateDirectoryAsync("rewind-restore-step");
        var config = Path.Combine(root, "rewind.yaml");
        var data = Path.Combine(root, "data");
        var rewind = Path.Combine(Repository.BuildOutput("Rewind.Cli"), "rewind");
        InstallApp(root, Path.Combine(root, "repo"));
        await PostgresCluster.GiveToPostgresAsync(root);
        await using var cluster = await PostgresCluster.CreateAsync(data, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["archive_mode"] = "on",
            ["archive_command"] = PostgresCluster.Quote($"{rewind} wal push db --config {config} %p %f"),
        });
        var api = SampleRelease.FreeLoopbackPort();
        await WriteConfigAsync(config, root, data, api, cluster.Port);
        await PostgresCluster.GiveToPostgresAsync(root);
        try
        {
            var address = new Uri($"http://127.0.0.1:{api.ToString(CultureInfo.InvariantCulture)}/");
            var admin = ApiClient.For(address, await RewindProcess.InitAccessAsync(config));
            using var serve = RewindProcess.Start("serve", "--config", config);
            await Eventually.WaitAsync(async () => (await admin.GetHealthAsync()).Status == "ok", Deadline, "the controller to answer");
            await admin.CreateUserAsync(new CreateUserRequest("bob", ["approver"]));
            var bob = ApiClient.For(address, (await admin.CreateTokenAsync("bob", new CreateTokenRequest())).Token);

            await cluster.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100)");
            using var backup = RewindProcess.Start("backup", "run", "db", "--config", config);
            (await backup.WaitForExitAsync(Deadline)).ShouldBe(0, backup.Output + await File.ReadAllTextAsync(data + ".log"));

            await admin.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
            await Eventually.WaitAsync(async () => (await admin.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");
            await admin.RecordReleaseAsync("web", new RecordReleaseRequest("v2")); // marks the database: rewind-release-web-v2
            await cluster.ExecuteAsync("INSERT INTO orders SELECT generate_series(101, 200)"); // what v2 wrote, and must go
            await cluster.ExecuteAsync("SELECT pg_switch_wal()");

            var requested = await admin.RequestRollbackAsync(new RollbackRequest("web", "v2 corrupted orders"));
            var waiting = await Eventually.WaitAsync(async () => await admin.GetRollbackAsync(requested.Id) is { } r && r.Steps.Any(s => s.AwaitingApproval) ? r : null, Deadline, "the restore's approval gate");
            var approved = await admin.ApproveRollbackAsync(requested.Id).ContinueWith(t => t.Exception?.InnerException as RewindApiException, TaskScheduler.Default);
            await bob.ApproveRollbackAsync(requested.Id, "restore agreed");
            var finished = await Eventually.WaitAsync(async () => await admin.GetRollbackAsync(requested.Id) is { Status: "succeeded" or "failed" } r ? r : null, Deadline, "the rollback to finish");

            waiting.Steps.Select(s => s.Description).ShouldBe([
                "snapshot of db: restore point rewind-snapshot-<rollback>-<step> in its archived WAL",
                "approve data: approval gate \"Restore the database db to restore point rewind-release-web-v2? Everything written after it is set aside (the replaced data directory is kept).\": needs an approval by any of approver, not the requester's own; decide within 15m, then fail",
                "data: restore db to restore point rewind-release-web-v2: stop the cluster, restore beside it, verify, swap in (replaced data directory kept), start it",
                $"switch {Path.Combine(root, "app")}/current -> releases/v1 (was releases/v2; atomic rename)",
            ], string.Join("\n", waiting.Steps.Select(s => s.Description)));
            approved.ShouldNotBeNull().Status.ShouldBe(403); // the requester's own approval does not count
            finished.Status.ShouldBe("succeeded", string.Join("\n", finished.Steps.Select(s => $"{s.Status}: {s.Output}")));
            var restored = finished.Steps[2].Output.ShouldNotBeNull();
            restored.ShouldContain("restored db from set ");
            restored.ShouldContain("the cluster started again");
            (await cluster.ScalarAsync<long>("SELECT count(*) FROM orders")).ShouldBe(100);
            Directory.GetDirectories(root, "data.replaced-*").ShouldHaveSingleItem();
        }
        finally
        {
            await cluster.StopAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static Task WriteConfigAsync(string config, string root, string data, int api, int port)
    {
        var runAs = PostgresCluster.RunAsUser is { } user ? ", run-as: " + user : "";
        return File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            store: "sqlite:rewind.db"
            server: { listen: "http://127.0.0.1:{{api}}" }
            components:
              web:
                provider: { release-dir: { path: app } }
                probes: { up: { tcp: { host: 127.0.0.1, port: {{port}} }, interval: 300ms, timeout: 250ms } }
                bake-time: 1s
                plan:
                  - { snapshot: { component: db } }
                  - { name: data, restore: { component: db } }
                  - { switch: {} }
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:{{port}}/postgres", data-directory: {{data}}, bin: {{PostgresCluster.BinDirectory}}{{runAs}} } }
                probes: { up: { tcp: { host: 127.0.0.1, port: {{port}} } } }
                backups:
                  repository: {{Path.Combine(root, "repo")}}
                  verify: { queries: [ { name: orders, sql: "SELECT count(*) FROM orders" } ] }
            """));
    }

    /// <summary>The application's releases v1 and v2 under <c>root/app</c>, v2 current, and an empty backup repository.</summary>
    internal static void InstallApp(string root, string repository)
    {
        foreach (var version in new[] { "v1", "v2" })
        {
            Directory.CreateDirectory(Path.Combine(root, "app", "releases", version));
        }

        File.CreateSymbolicLink(Path.Combine(root, "app", "current"), Path.Combine("releases", "v2"));
        Directory.CreateDirectory(repository);
    }
}
