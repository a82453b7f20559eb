using System.Globalization;
using Rewind.Client;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests.Seeds;

/// <summary>
/// The seed stacks of samples/seeds, each run on this machine and rehearsed with its drill: the test fails when a drill
/// misses a target its system's document states. Each writes <c>rewind drill list --markdown</c> (the figures of
/// docs/drills.md) to .artifacts/seeds/SEED.md.
/// </summary>
public sealed class SeedDrillTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task CvManagementApi_BadRelease_RecoversApiDatabaseAndCacheWithinTheDocumentsTargets()
    {
        var root = await PostgresCluster.CreateDirectoryAsync("rewind-seed-cvm");
        CopySeed("cv-management-api", root);
        var (app, data, config) = (Path.Combine(root, "app"), Path.Combine(root, "data"), Path.Combine(root, "rewind.yaml"));
        SampleRelease.Install(Repository.BuildOutput("SampleService"), app, "v1", broken: false);
        SampleRelease.Install(Repository.BuildOutput("SampleService"), app, "v2", broken: true);
        File.CreateSymbolicLink(Path.Combine(app, "current"), Path.Combine("releases", "v1"));
        Directory.CreateDirectory(Path.Combine(root, "repository"));
        await File.WriteAllTextAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(root, "uploads")).FullName, "cv-1.pdf"), "a CV");
        using var redis = await RedisServer.StartAsync();
        await PostgresCluster.GiveToPostgresAsync(root);
        var rewind = Path.Combine(Repository.BuildOutput("Rewind.Cli"), "rewind");
        await using var cluster = await PostgresCluster.CreateAsync(data, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["archive_mode"] = "on",
            ["archive_command"] = PostgresCluster.Quote($"{rewind} wal push db --config {config} %p %f"),
        });
        var (api, service) = (SampleRelease.FreeLoopbackPort(), SampleRelease.FreeLoopbackPort());
        Fill(config, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["@API_PORT@"] = Port(api), ["@SERVICE_PORT@"] = Port(service), ["@SERVICECTL@"] = Deployment.ServiceCtl, ["@APP_ROOT@"] = app,
            ["@REDIS_PORT@"] = Port(redis.Port), ["@PG_PORT@"] = Port(cluster.Port), ["@PG_DATA@"] = data, ["@PG_BIN@"] = PostgresCluster.BinDirectory,
            ["@RUN_AS@"] = PostgresCluster.RunAsUser is { } user ? $", run-as: {user}" : "",
        });
        await PostgresCluster.GiveToPostgresAsync(root);
        try
        {
            await RunCvManagementApiAsync(root, config, api, service, cluster, redis);
        }
        finally
        {
            await ServiceCtlAsync(app, service, "stop");
            await cluster.StopAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task RunCvManagementApiAsync(string root, string config, int api, int service, PostgresCluster cluster, RedisServer redis)
    {
        (await ServiceCtlAsync(Path.Combine(root, "app"), service, "start")).ShouldBe(0);
        var token = await RewindProcess.InitAccessAsync(config);
        var admin = ApiClient.For(new Uri($"http://127.0.0.1:{Port(api)}/"), token);
        using var serve = RewindProcess.Start("serve", "--config", config);
        await Eventually.WaitAsync(async () => (await admin.GetHealthAsync()).Status == "ok", Deadline, "the controller to answer");
        await cluster.ExecuteAsync("CREATE TABLE candidates (id int PRIMARY KEY); INSERT INTO candidates SELECT generate_series(1, 100)");
        using (var backup = RewindProcess.Start("backup", "run", "db", "--config", config))
        {
            (await backup.WaitForExitAsync(Deadline)).ShouldBe(0, backup.Output);
        }

        await admin.RecordReleaseAsync("api", new RecordReleaseRequest("v1"));
        await Eventually.WaitAsync(async () => (await admin.GetReleasesAsync("api")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");
        (await redis.CommandAsync("SET session:42 cached")).ShouldContain("OK");

        var output = await RunDrillAsync("cv-management-api", api, token, "bad-release");
        output.ShouldContain("# Drill bad-release: PASSED", customMessage: serve.Output);

        var run = (await admin.GetDrillRunsAsync("bad-release")).ShouldHaveSingleItem();
        var rpo = run.Report.ShouldNotBeNull().Measures.Single(m => m.Name == "rpo");
        rpo.Seconds.ShouldNotBeNull().ShouldBeGreaterThan(0, "marks written after v2 was recorded go with the restore, by design");
        run.Report.Data.ShouldNotBeNull().Lost.ShouldBeGreaterThan(0);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM candidates")).ShouldBe(100);
        (await redis.CommandAsync("EXISTS session:42")).ShouldContain(":0", customMessage: "the cache was emptied");
        (await new HttpClient().GetStringAsync(new Uri($"http://127.0.0.1:{Port(service)}/health"))).ShouldContain("\"version\":\"v1\"");
    }

    /// <summary>Runs the drill through the CLI, as an operator would, and keeps the drills' table for docs/drills.md.</summary>
    private static async Task<string> RunDrillAsync(string seed, int api, string token, string drill)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_TOKEN"] = token };
        var server = $"http://127.0.0.1:{Port(api)}";
        using var run = RewindProcess.Start(environment, "drill", "run", drill, "--server", server);
        var exit = await run.WaitForExitAsync(Deadline);
        using var list = RewindProcess.Start(environment, "drill", "list", "--markdown", "--server", server);
        (await list.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, list.Output);
        var seeds = Directory.CreateDirectory(Path.Combine(Repository.Root, ".artifacts", "seeds")).FullName;
        await File.WriteAllTextAsync(Path.Combine(seeds, seed + ".md"), list.Output);
        exit.ShouldBe(0, run.Output);
        return run.Output;
    }

    private static void CopySeed(string seed, string root)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "samples", "seeds", seed)))
        {
            File.Copy(file, Path.Combine(root, Path.GetFileName(file)));
        }
    }

    private static void Fill(string config, IReadOnlyDictionary<string, string> words)
    {
        var text = File.ReadAllText(config);
        foreach (var (word, value) in words)
        {
            text = text.Replace(word, value, StringComparison.Ordinal);
        }

        System.Text.RegularExpressions.Regex.IsMatch(text, "@[A-Z_]+@", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)).ShouldBeFalse("every @WORD@ of the seed is filled in");
        File.WriteAllText(config, text);
    }

    private static async Task<int> ServiceCtlAsync(string app, int port, string verb)
    {
        var result = await new Runtime.Processes.ProcessRunner().RunAsync(new Runtime.Processes.ProcessRequest([Deployment.ServiceCtl, verb, app, Port(port)], app, TimeSpan.FromSeconds(30)));
        return result.ExitCode ?? -1;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
