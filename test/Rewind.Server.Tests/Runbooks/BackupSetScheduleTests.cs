using Rewind.Core.Backups;
using Rewind.Engine.Backups;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>The controller's schedules of logical dumps and file backups: each runs on its cron and is recorded with its kind.</summary>
public sealed class BackupSetScheduleTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task RunDue_DumpsAndCopiesFilesOnTheirCrons_AndRecordsBothRuns()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var root = Directory.CreateTempSubdirectory("rewind-sched-sets-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101); // PostgreSQL's user writes pg_dump's output under the repository
        var uploads = Directory.CreateDirectory(Path.Combine(root, "uploads")).FullName;
        await File.WriteAllTextAsync(Path.Combine(uploads, "a.txt"), "a");
        try
        {
            var runAs = PostgresCluster.RunAsUser is { } user ? $", run-as: {user}" : "";
            var db = $$"""db: { provider: { postgres: { url: "{{database.Url}}", data-directory: /var/lib/postgresql/15/main, bin: {{PostgresCluster.BinDirectory}}{{runAs}} } }, backups: { repository: "{{root}}/db", logical: { schedule: "* * * * * ?" } }, probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } } }""";
            var web = $$"""backups: { repository: "{{root}}/web", files: { paths: ["{{uploads}}"], schedule: "* * * * * ?" } }""";
            await using var server = await ServerFixture.StartAsync(components: db, componentExtra: web);
            var schedule = server.Service<BackupSchedule>();

            await Task.Delay(1100); // the every-second crons fall due after the controller started
            var runs = await Eventually.WaitAsync(
                async () =>
                {
                    await schedule.RunDueAsync(CancellationToken.None);
                    var (d, w) = (await server.Store.GetBackupRunsAsync("db", 100), await server.Store.GetBackupRunsAsync("web", 100));
                    return d.Any(r => r.Kind == BackupRun.Expire) && w.Any(r => r.Kind == BackupRun.Expire) ? new[] { d, w } : null;
                },
                TimeSpan.FromSeconds(20),
                "a scheduled dump and file backup");

            runs.ShouldAllBe(r => r.Any(run => run.Kind == BackupRun.Expire && run.Succeeded)); // retention after each new set
            var (dumps, copies) = (runs[0].Where(r => r.Kind != BackupRun.Expire).ToList(), runs[1].Where(r => r.Kind != BackupRun.Expire).ToList());
            dumps.ShouldAllBe(r => r.Kind == BackupRun.LogicalDump && r.Succeeded);
            dumps[0].Summary.ShouldStartWith("dump ");
            dumps[0].Summary.ShouldContain(database.Name);
            copies.ShouldAllBe(r => r.Kind == BackupRun.FileBackup && r.Succeeded);
            copies[0].Summary.ShouldStartWith("file set ");
            (await new BackupRepository(new BackupRepositoryOptions(Path.Combine(root, "db"))).ListDumpsAsync()).ShouldNotBeEmpty();
            (await new BackupRepository(new BackupRepositoryOptions(Path.Combine(root, "web"))).ListFileSetsAsync()).ShouldNotBeEmpty();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
