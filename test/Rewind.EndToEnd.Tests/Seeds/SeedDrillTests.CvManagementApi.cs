using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests.Seeds;

/// <summary>CV Management API: API, PostgreSQL, Redis, file storage; a bad release whose rollback restores the database.</summary>
public sealed partial class SeedDrillTests
{
    [Fact]
    public async Task CvManagementApi_BadRelease_RecoversApiDatabaseAndCacheWithinTheDocumentsTargets()
    {
        await using var stack = await SeedStack.CopyAsync("cv-management-api");
        var app = InstallApp(stack.Root, ("v1", false), ("v2", true));
        var data = Path.Combine(stack.Root, "data");
        Directory.CreateDirectory(Path.Combine(stack.Root, "repository"));
        await File.WriteAllTextAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(stack.Root, "uploads")).FullName, "cv-1.pdf"), "a CV");
        using var redis = await RedisServer.StartAsync();
        var rewind = Path.Combine(Repository.BuildOutput("Rewind.Cli"), "rewind");
        await using var cluster = await PostgresCluster.CreateAsync(data, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["archive_mode"] = "on",
            ["archive_command"] = PostgresCluster.Quote($"{rewind} wal push db --config {stack.Config} %p %f"),
        });
        var service = SampleRelease.FreeLoopbackPort();
        stack.Fill(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["@SERVICE_PORT@"] = SeedStack.Port(service), ["@SERVICECTL@"] = Deployment.ServiceCtl, ["@APP_ROOT@"] = app,
            ["@REDIS_PORT@"] = SeedStack.Port(redis.Port), ["@PG_PORT@"] = SeedStack.Port(cluster.Port), ["@PG_DATA@"] = data, ["@PG_BIN@"] = PostgresCluster.BinDirectory,
            ["@RUN_AS@"] = PostgresCluster.RunAsUser is { } user ? $", run-as: {user}" : "",
        });
        await PostgresCluster.GiveToPostgresAsync(stack.Root);
        try
        {
            (await ServiceCtlAsync(app, service, "start")).ShouldBe(0);
            await stack.StartAsync();
            await cluster.ExecuteAsync("CREATE TABLE candidates (id int PRIMARY KEY); INSERT INTO candidates SELECT generate_series(1, 100)");
            using (var backup = RewindProcess.Start("backup", "run", "db", "--config", stack.Config))
            {
                (await backup.WaitForExitAsync(Deadline)).ShouldBe(0, backup.Output);
            }

            await RecordStableAsync(stack, "api", "v1");
            (await redis.CommandAsync("SET session:42 cached")).ShouldContain("OK");

            await stack.RunDrillAsync("bad-release");

            var run = (await stack.Admin.GetDrillRunsAsync("bad-release")).ShouldHaveSingleItem();
            run.Report.ShouldNotBeNull().Measures.Single(m => m.Name == "rpo").Seconds.ShouldNotBeNull().ShouldBeGreaterThan(0, "marks written after v2 was recorded go with the restore, by design");
            run.Report.Data.ShouldNotBeNull().Lost.ShouldBeGreaterThan(0);
            (await cluster.ScalarAsync<long>("SELECT count(*) FROM candidates")).ShouldBe(100);
            (await redis.CommandAsync("EXISTS session:42")).ShouldContain(":0", customMessage: "the cache was emptied");
            (await ServingVersionAsync(service)).ShouldContain("\"version\":\"v1\"");
        }
        finally
        {
            await ServiceCtlAsync(app, service, "stop");
            await cluster.StopAsync();
        }
    }
}
