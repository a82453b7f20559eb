using Rewind.Core.Backups;
using Rewind.Engine.Backups;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Engine.Tests.Backups;

/// <summary>
/// The backup schedule in virtual time: a job runs when its cron fell due after its last run (or the start), once, and
/// is recorded with its kind; after each new set, retention runs and is recorded too.
/// </summary>
public sealed class BackupScheduleTests
{
    [Fact]
    public async Task RunDue_VerifiesOnItsCron_OncePerDueTime_AndRecordsTheRun()
    {
        var repository = Directory.CreateTempSubdirectory("rewind-sched-").FullName;
        try
        {
            var db = $$"""db: { provider: { postgres: { url: "postgres://postgres@127.0.0.1:9/postgres", data-directory: /var/lib/postgresql/15/main } }, backups: { repository: "{{repository}}", verify: { schedule: "0 * * * * ?", full-schedule: "0 0 3 1 1 ? 2099" } }, probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } } }""";
            await using var engine = await EngineFixture.StartAsync(components: db, at: EngineFixture.Start + TimeSpan.FromSeconds(30));
            var schedule = engine.Get<BackupSchedule>();

            await schedule.RunDueAsync(); // 10:00:30: the every-minute cron is not due before 10:01:00
            (await engine.Store.GetBackupRunsAsync("db", 100)).ShouldBeEmpty();
            engine.Time.Advance(TimeSpan.FromSeconds(30));
            await schedule.RunDueAsync();
            await schedule.RunDueAsync(); // the same minute again: run already

            var run = (await engine.Store.GetBackupRunsAsync("db", 100)).ShouldHaveSingleItem(); // the drill is not due until 2099
            run.Kind.ShouldBe(BackupRun.Verify);
            run.StartedAt.ShouldBe(EngineFixture.Start + TimeSpan.FromMinutes(1));
            run.Succeeded.ShouldBeFalse(); // an empty repository: no set, no WAL
            run.Summary.ShouldStartWith("0 set(s), 0 file(s), 0 WAL file(s)");
            run.Summary.ShouldContain("error: sets: no base backup in");
            (await engine.Store.GetBackupRunsAsync("web", 100)).ShouldBeEmpty();
            engine.Time.Advance(TimeSpan.FromMinutes(1));
            await schedule.RunDueAsync();
            (await engine.Store.GetBackupRunsAsync("db", 100)).Count.ShouldBe(2);
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }

    [Fact]
    public async Task RunDue_IncrementalSchedule_RunsOnItsOwnCron_AndRecordsAnIncrementalBackupRun()
    {
        var repository = Directory.CreateTempSubdirectory("rewind-sched-").FullName;
        try
        {
            var db = $$"""db: { provider: { postgres: { url: "postgres://postgres@127.0.0.1:9/postgres", data-directory: /var/lib/postgresql/15/main } }, backups: { repository: "{{repository}}", schedule: "0 0 3 1 1 ? 2099", incremental: { schedule: "0 * * * * ?" } }, probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } } }""";
            await using var engine = await EngineFixture.StartAsync(components: db, at: EngineFixture.Start + TimeSpan.FromSeconds(30));
            var schedule = engine.Get<BackupSchedule>();

            engine.Time.Advance(TimeSpan.FromSeconds(30));
            await schedule.RunDueAsync();

            var run = (await engine.Store.GetBackupRunsAsync("db", 100)).ShouldHaveSingleItem(); // the full backups are not due until 2099; a failed backup is not followed by expiry
            run.Kind.ShouldBe(BackupRun.IncrementalBackup);
            run.Succeeded.ShouldBeFalse(); // nothing listens on port 9
            run.Summary.ShouldStartWith("pg_basebackup");
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }

    [Fact]
    public async Task RunDue_NeverRunBefore_CountsFromTheStart()
    {
        var repository = Directory.CreateTempSubdirectory("rewind-sched-").FullName;
        try
        {
            var uploads = Directory.CreateDirectory(Path.Combine(repository, "uploads")).FullName;
            var web = $$"""backups: { repository: "{{repository}}/web", files: { paths: ["{{uploads}}"], schedule: "0 0 * * * ?" } }""";
            await using var engine = await EngineFixture.StartAsync(componentExtra: web, at: EngineFixture.Start + TimeSpan.FromMinutes(59));
            var schedule = engine.Get<BackupSchedule>();

            engine.Time.Advance(TimeSpan.FromSeconds(59));
            await schedule.RunDueAsync();
            (await engine.Store.GetBackupRunsAsync("web", 100)).ShouldBeEmpty(); // 10:59:59: the hourly cron falls due at 11:00
            engine.Time.Advance(TimeSpan.FromSeconds(1));
            await schedule.RunDueAsync();

            (await engine.Store.GetBackupRunsAsync("web", 100)).Select(r => r.Kind).ShouldBe([BackupRun.Expire, BackupRun.FileBackup], ignoreOrder: true);
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }

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
            await using var engine = await EngineFixture.StartAsync(components: db, componentExtra: web);
            var schedule = engine.Get<BackupSchedule>(); // started now

            engine.Time.Advance(TimeSpan.FromSeconds(1)); // the every-second crons fall due after the start
            await schedule.RunDueAsync();

            var (dumps, copies) = (await engine.Store.GetBackupRunsAsync("db", 100), await engine.Store.GetBackupRunsAsync("web", 100));
            dumps.Select(r => r.Kind).ShouldBe([BackupRun.Expire, BackupRun.LogicalDump], ignoreOrder: true);
            copies.Select(r => r.Kind).ShouldBe([BackupRun.Expire, BackupRun.FileBackup], ignoreOrder: true);
            dumps.Concat(copies).ShouldAllBe(r => r.Succeeded);
            dumps.Single(r => r.Kind == BackupRun.LogicalDump).Summary.ShouldStartWith("dump ");
            dumps.Single(r => r.Kind == BackupRun.LogicalDump).Summary.ShouldContain(database.Name);
            copies.Single(r => r.Kind == BackupRun.FileBackup).Summary.ShouldStartWith("file set ");
            (await new BackupRepository(new BackupRepositoryOptions(Path.Combine(root, "db"))).ListDumpsAsync()).ShouldNotBeEmpty();
            (await new BackupRepository(new BackupRepositoryOptions(Path.Combine(root, "web"))).ListFileSetsAsync()).ShouldNotBeEmpty();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
