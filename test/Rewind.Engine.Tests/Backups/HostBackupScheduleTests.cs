using Rewind.Core.Agents;
using Rewind.Core.Backups;
using Rewind.Core.Runbooks;
using Rewind.Engine.Agents;
using Rewind.Engine.Backups;
using Rewind.TestUtils;

namespace Rewind.Engine.Tests.Backups;

/// <summary>
/// The backup schedule of a cluster on another host (<c>host: db-1</c>), in virtual time: each due job is handed to the
/// host's agent as one attempt named by the job, never run by the controller; the agent's report is the recorded run;
/// an agent that never takes it makes the run fail as unreachable after the component's limit, the host untouched.
/// </summary>
public sealed class HostBackupScheduleTests
{
    private const string Db = """db: { host: db-1, unreachable: { wait: 1m }, provider: { postgres: { url: "postgres://postgres@127.0.0.1:9/postgres", data-directory: /var/lib/postgresql/15/main } }, backups: { repository: /var/lib/rewind/db, verify: { schedule: "0 * * * * ?" } }, probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } } }""";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunDue_ClusterOnAHost_TheHostsAgentRunsTheJob_AndItsReportIsTheRecordedRun()
    {
        await using var engine = await EngineFixture.StartAsync(components: Db, at: EngineFixture.Start + TimeSpan.FromSeconds(30));
        var schedule = engine.Get<BackupSchedule>();
        engine.Time.Advance(TimeSpan.FromSeconds(30)); // 10:01:00: the every-minute verification falls due

        var running = schedule.RunDueAsync();
        var handed = await Eventually.WaitAsync(async () => (await engine.Store.ClaimHostAttemptsAsync("db-1", "agent-1", engine.Now)).SingleOrDefault(), Deadline, "the job to be handed to db-1");
        handed.RollbackId.ShouldBe("job.backup.db.verify.20261122T100100Z");
        handed.Step.ShouldBe(new BackupJobStep("db", BackupRun.Verify));
        (await engine.Store.ClaimHostAttemptsAsync("app-1", "agent-2", engine.Now)).ShouldBeEmpty();
        (await engine.Store.GetBackupRunsAsync("db", 10)).ShouldBeEmpty("nothing is recorded before the agent reports");

        await engine.Get<AgentReports>().ReportAsync("db-1", handed.Id, HostAttemptStatus.Succeeded, "1 set(s), 3 file(s), 2 WAL file(s), 40 MiB checked in 2s");
        await running.WaitAsync(Deadline);

        var run = (await engine.Store.GetBackupRunsAsync("db", 10)).ShouldHaveSingleItem();
        (run.Kind, run.Succeeded, run.Summary).ShouldBe((BackupRun.Verify, true, "on db-1: 1 set(s), 3 file(s), 2 WAL file(s), 40 MiB checked in 2s"));
        await schedule.RunDueAsync(); // the same minute again: run already, nothing handed out again
        (await engine.Store.ClaimHostAttemptsAsync("db-1", "agent-1", engine.Now)).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunDue_NoAgentTakesTheJob_FailsAsUnreachableAfterTheLimit_AndTheJobIsNotHandedOutLate()
    {
        await using var engine = await EngineFixture.StartAsync(components: Db, at: EngineFixture.Start + TimeSpan.FromSeconds(30));
        var schedule = engine.Get<BackupSchedule>();
        engine.Time.Advance(TimeSpan.FromSeconds(30));

        var running = schedule.RunDueAsync();
        await Eventually.WaitAsync(async () => (await engine.Store.GetHostAttemptsAsync("job.backup.db.verify.20261122T100100Z")).Count == 1, Deadline, "the job to be stored");
        var waiting = engine.Now;
        await Eventually.WaitAsync(() =>
        {
            engine.Time.Advance(TimeSpan.FromSeconds(5)); // the job's wait reads the store again after each of its 250 ms delays
            return Task.FromResult(running.IsCompleted);
        }, Deadline, "the job to be given up");

        await running;
        (engine.Now - waiting).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(1));
        var run = (await engine.Store.GetBackupRunsAsync("db", 10)).ShouldHaveSingleItem();
        run.Succeeded.ShouldBeFalse();
        run.Summary.ShouldBe("db-1 unreachable: no agent of the host has ever polled; the step was not taken within 1m, so db-1 was not touched");
        engine.Time.Advance(HostAttempt.JobClaimable);
        (await engine.Store.ClaimHostAttemptsAsync("db-1", "agent-1", engine.Now)).ShouldBeEmpty("given up: an agent that comes back later does not run it");
    }
}
