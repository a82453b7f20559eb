using Rewind.Engine.Backups;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>The controller's backup schedule: a due quick verification runs and is recorded; one not yet due does not run.</summary>
public sealed class BackupScheduleTests
{
    [Fact]
    public async Task RunDue_VerifiesOnItsCron_AndRecordsTheRunInTheStore()
    {
        var repository = Directory.CreateTempSubdirectory("rewind-sched-").FullName;
        try
        {
            var db = $$"""db: { provider: { postgres: { url: "{{PostgresDatabase.ServerUrl()}}", data-directory: /var/lib/postgresql/15/main } }, backups: { repository: "{{repository}}", verify: { schedule: "* * * * * ?", full-schedule: "0 0 3 1 1 ? 2099" } }, probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } } }""";
            await using var server = await ServerFixture.StartAsync(components: db);
            var schedule = server.Service<BackupSchedule>();

            await Task.Delay(1100); // the every-second cron falls due after the controller started
            var before = (await server.Store.GetBackupRunsAsync("db", 100)).Count; // the controller's own loop may have run it already
            var runs = await Eventually.WaitAsync(
                async () =>
                {
                    await schedule.RunDueAsync(CancellationToken.None); // due again each second
                    return await server.Store.GetBackupRunsAsync("db", 100) is { } all && all.Count > before ? all : null;
                },
                TimeSpan.FromSeconds(10),
                "a scheduled verification");

            runs.ShouldAllBe(r => r.Kind == "verify"); // the drill is not due until 2099
            runs[0].Succeeded.ShouldBeFalse(); // an empty repository: no set, no WAL
            runs[0].Summary.ShouldStartWith("0 set(s), 0 file(s), 0 WAL file(s)");
            runs[0].Summary.ShouldContain("error: sets: no base backup in");
            var listed = await server.Client.GetBackupRunsAsync("db");
            listed.Count.ShouldBe(runs.Count);
            listed[0].Summary.ShouldBe(runs[0].Summary);
            var component = await server.Client.GetComponentAsync("db");
            component.Backups.ShouldNotBeNull().ShouldHaveSingleItem().Kind.ShouldBe("verify"); // the newest run of each kind
            (await server.Client.GetComponentAsync("web")).Backups.ShouldBeNull();
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }

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

            await Task.Delay(1100);
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
