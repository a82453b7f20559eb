using System.Globalization;
using Rewind.Client;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A rollback whose plan restores a database on another host (<c>db: { host: db-1 }</c>): a real controller, and the
/// agent of db-1 as a separate process with its own directory and config file, as on a database server. The cluster
/// archives through <c>rewind wal push</c> with db-1's config; the controller's config places the cluster's data and
/// repository where it cannot reach them, so only db-1's agent can take the snapshot and make the restore.
/// </summary>
public sealed class AgentDatabaseRestoreTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task RollbackWithARestoreStep_OnTheDatabaseHost_IsRunByThatHostsAgent()
    {
        var root = await PostgresCluster.CreateDirectoryAsync("rewind-agent-restore");
        var dbHost = Directory.CreateDirectory(Path.Combine(root, "db-1")).FullName;
        var (controllerConfig, hostConfig) = (Path.Combine(root, "rewind.yaml"), Path.Combine(dbHost, "rewind.yaml"));
        var data = Path.Combine(dbHost, "data");
        var rewind = Path.Combine(Repository.BuildOutput("Rewind.Cli"), "rewind");
        DatabaseRestoreStepTests.InstallApp(root, Path.Combine(dbHost, "repo"));
        await PostgresCluster.GiveToPostgresAsync(root);
        await using var cluster = await PostgresCluster.CreateAsync(data, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["archive_mode"] = "on",
            ["archive_command"] = PostgresCluster.Quote($"{rewind} wal push db --config {hostConfig} %p %f"),
        });
        var api = SampleRelease.FreeLoopbackPort();
        await WriteConfigsAsync(root, api, cluster.Port);
        RewindProcess? agent = null;
        try
        {
            var address = new Uri($"http://127.0.0.1:{api.ToString(CultureInfo.InvariantCulture)}/");
            var admin = ApiClient.For(address, await RewindProcess.InitAccessAsync(controllerConfig));
            using var serve = RewindProcess.Start("serve", "--config", controllerConfig);
            await Eventually.WaitAsync(async () => (await admin.GetHealthAsync()).Status == "ok", Deadline, "the controller to answer");
            await admin.CreateUserAsync(new CreateUserRequest("bob", ["approver"]));
            var bob = ApiClient.For(address, (await admin.CreateTokenAsync("bob", new CreateTokenRequest())).Token);
            agent = await StartAgentAsync(admin, address, dbHost, hostConfig);
            await DeployV2Async(admin, cluster, hostConfig, data);

            var requested = await admin.RequestRollbackAsync(new RollbackRequest("web", "v2 corrupted orders"));
            var waiting = await Eventually.WaitAsync(async () => await admin.GetRollbackAsync(requested.Id) is { } r && r.Steps.Any(s => s.AwaitingApproval) ? r : null, Deadline, "the restore's approval gate");
            await bob.ApproveRollbackAsync(requested.Id, "restore agreed");
            var finished = await Eventually.WaitAsync(async () => await admin.GetRollbackAsync(requested.Id) is { Status: "succeeded" or "failed" } r ? r : null, Deadline, "the rollback to finish");

            var log = $"{string.Join("\n", finished.Steps.Select(s => $"{s.Status}: {s.Output}"))}\ncontroller:\n{serve.Output}\nagent:\n{agent.Output}";
            waiting.Steps[0].Description.ShouldBe("on db-1 by its agent (unreachable after 2m): snapshot of db: restore point rewind-snapshot-<rollback>-<step> in its archived WAL");
            waiting.Steps[2].Description.ShouldBe("on db-1 by its agent (unreachable after 2m): data: restore db to restore point rewind-release-web-v2: stop the cluster, restore beside it, verify, swap in (replaced data directory kept), start it");
            finished.Status.ShouldBe("succeeded", log);
            finished.Steps[0].Output.ShouldNotBeNull().ShouldStartWith($"on db-1: restore point rewind-snapshot-{requested.Id}-1 on db at ", Case.Sensitive, log);
            var restored = finished.Steps[2].Output.ShouldNotBeNull();
            restored.ShouldStartWith("on db-1: ", Case.Sensitive, log);
            restored.ShouldContain("restored db from set ");
            restored.ShouldContain("the cluster started again");
            (await cluster.ScalarAsync<long>("SELECT count(*) FROM orders")).ShouldBe(100);
            Directory.GetDirectories(dbHost, "data.replaced-*").ShouldHaveSingleItem();
            agent.Output.ShouldContain($"{requested.Id}.3.db-1");
            await ShouldBeMeasuredOnTheHostAsync(admin);
        }
        finally
        {
            agent?.Dispose();
            await cluster.StopAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>backup.rpo has a value: db-1's agent measured the repository there (the controller's own path for it does not exist).</summary>
    private static async Task ShouldBeMeasuredOnTheHostAsync(RewindClient admin)
    {
        var rpo = await Eventually.WaitAsync(async () => (await admin.GetSignalsAsync("db")).FirstOrDefault(s => s is { Signal: "backup.rpo", Value: not null }), Deadline, "db-1's agent to measure the repository for backup.rpo");
        rpo.Value.ShouldNotBeNull().ShouldBeLessThan(600);
    }

    private static async Task<RewindProcess> StartAgentAsync(RewindClient admin, Uri address, string dbHost, string hostConfig)
    {
        var token = await admin.CreateAgentTokenAsync(new CreateAgentTokenRequest("db-1", "database server"));
        var agent = RewindProcess.Start(
            new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_AGENT_TOKEN"] = token.Token },
            "agent", "--server", address.ToString(), "--journal", Path.Combine(dbHost, "agent-journal"), "--config", hostConfig);
        await Eventually.WaitAsync(async () => (await admin.GetAgentsAsync()).Any(a => a is { Host: "db-1", Connected: true }), Deadline, "db-1's agent to poll");
        return agent;
    }

    /// <summary>Orders 1-100, a base backup on db-1; v1 stable; v2 recorded (a restore point marks the database just before it), then orders 101-200.</summary>
    private static async Task DeployV2Async(RewindClient admin, PostgresCluster cluster, string hostConfig, string data)
    {
        await cluster.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100)");
        using var backup = RewindProcess.Start("backup", "run", "db", "--config", hostConfig); // on db-1, as its cron would
        (await backup.WaitForExitAsync(Deadline)).ShouldBe(0, backup.Output + await File.ReadAllTextAsync(data + ".log"));

        await admin.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await Eventually.WaitAsync(async () => (await admin.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");
        await admin.RecordReleaseAsync("web", new RecordReleaseRequest("v2")); // marks the database: rewind-release-web-v2
        await cluster.ExecuteAsync("INSERT INTO orders SELECT generate_series(101, 200)"); // what v2 wrote, and must go
        await cluster.ExecuteAsync("SELECT pg_switch_wal()");
    }

    /// <summary>The controller's config places db's data and repository where it cannot reach them; db-1's has the real ones.</summary>
    private static async Task WriteConfigsAsync(string root, int api, int port)
    {
        await WriteConfigAsync(Path.Combine(root, "rewind.yaml"), root, api, port, dataDirectory: "/nonexistent/db-1/data", repository: "/nonexistent/db-1/repo");
        await WriteConfigAsync(Path.Combine(root, "db-1", "rewind.yaml"), root, api, port, Path.Combine(root, "db-1", "data"), Path.Combine(root, "db-1", "repo"));
        await PostgresCluster.GiveToPostgresAsync(root);
    }

    private static Task WriteConfigAsync(string config, string root, int api, int port, string dataDirectory, string repository)
    {
        var runAs = PostgresCluster.RunAsUser is { } user ? ", run-as: " + user : "";
        return File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            store: "sqlite:rewind.db"
            server: { listen: "http://127.0.0.1:{{api}}" }
            components:
              web:
                provider: { release-dir: { path: {{Path.Combine(root, "app")}} } }
                probes: { up: { tcp: { host: 127.0.0.1, port: {{port}} }, interval: 300ms, timeout: 250ms } }
                bake-time: 1s
                plan:
                  - { snapshot: { component: db } }
                  - { name: data, restore: { component: db } }
                  - { switch: {} }
              db:
                host: db-1
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:{{port}}/postgres", data-directory: {{dataDirectory}}, bin: {{PostgresCluster.BinDirectory}}{{runAs}} } }
                probes: { up: { tcp: { host: 127.0.0.1, port: {{port}} } } }
                backups:
                  repository: {{repository}}
                  verify: { queries: [ { name: orders, sql: "SELECT count(*) FROM orders" } ] }
            """));
    }
}
