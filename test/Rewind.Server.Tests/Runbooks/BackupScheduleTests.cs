using Rewind.Engine.Backups;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>The controller's backup schedule on a real PostgreSQL cluster: a base backup on its cron, then retention. Due times are tested on the engine in virtual time.</summary>
public sealed class BackupScheduleTests
{

    [Fact]
    public async Task RunDue_BaseBackupOfARealCluster_IsFollowedByRetention_BothRecorded()
    {
        var root = await PostgresCluster.CreateDirectoryAsync("rewind-sched-base");
        var repository = Path.Combine(root, "repo");
        Directory.CreateDirectory(repository);
        await PostgresCluster.GiveToPostgresAsync(root);
        try
        {
            await using var cluster = await PostgresCluster.CreateAsync(Path.Combine(root, "data"));
            var runAs = PostgresCluster.RunAsUser is { } user ? ", run-as: " + user : "";
            var db = $$"""db: { provider: { postgres: { url: "postgres://postgres@127.0.0.1:{{cluster.Port}}/postgres", data-directory: "{{cluster.DataDirectory}}", bin: {{PostgresCluster.BinDirectory}}{{runAs}} } }, backups: { repository: "{{repository}}", schedule: "* * * * * ?", retention: { count: 1, age: 1s } }, probes: { up: { tcp: { host: 127.0.0.1, port: {{cluster.Port}} } } } }""";
            await using var server = await ServerFixture.StartAsync(components: db);
            var schedule = server.Service<BackupSchedule>();

            await Eventually.PastAsync(TimeProvider.System.GetUtcNow().AddMilliseconds(1100), "the first sets to outlive retention.age");
            var runs = await Eventually.WaitAsync(
                async () =>
                {
                    await schedule.RunDueAsync(CancellationToken.None);
                    return await server.Store.GetBackupRunsAsync("db", 100) is { } all && all.Any(r => r.Kind == "expire") ? all : null;
                },
                TimeSpan.FromSeconds(60),
                "a scheduled base backup and its expiry");

            var backup = runs.First(r => r.Kind == "base-backup");
            backup.Succeeded.ShouldBeTrue(backup.Summary);
            backup.Summary.ShouldStartWith("set ");
            var expire = runs.First(r => r.Kind == "expire");
            expire.Succeeded.ShouldBeTrue(expire.Summary);
            expire.StartedAt.ShouldBeGreaterThanOrEqualTo(backup.FinishedAt);
            expire.Summary.ShouldContain("set(s) kept");
            Directory.GetDirectories(Path.Combine(repository, "sets")).Length.ShouldBe(1); // count 1: each new set lets the older go
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
