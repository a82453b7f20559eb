using Rewind.Core.Drills;
using Rewind.Core.Incidents;
using Rewind.Engine.Drills;
using Rewind.TestUtils;

namespace Rewind.Engine.Tests.Drills;

/// <summary>
/// The leader's drill loop in virtual time, on the engine as the controller builds it and a real SQLite store: a fault
/// nobody notices fails at the drill's timeout, a run a stopped controller left is closed, a scheduled drill finds a
/// real incident open. Faults and clear steps are real processes (touch, rm) on a marker file.
/// </summary>
public sealed class DrillQueueTests
{
    private static string Drills(string marker, string schedule = "") => $$"""
        drills:
          quiet:
            component: web
            fault: { command: { argv: [touch, "{{marker}}"] } }
            clear: { command: { argv: [rm, -f, "{{marker}}"] } }
            targets: { detect: 5s }
            timeout: 10s
            {{schedule}}
        """;

    [Fact]
    public async Task Tick_FaultNobodyNotices_FailsAtTheTimeoutSayingSoAndClearsTheFault()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"rewind-drill-{Guid.NewGuid():N}");
        await using var fixture = await EngineFixture.StartAsync(extra: Drills(marker));
        var requested = await fixture.Store.RequestDrillRunAsync("quiet", ["web"], "alice", fixture.Now, scheduled: false);

        var tick = fixture.Get<DrillQueue>().TickAsync();
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(marker)), TimeSpan.FromSeconds(30), "the fault to be made");
        await AdvanceUntilAsync(fixture, tick);

        var run = (await fixture.Store.GetDrillRunAsync(requested.Id)).ShouldNotBeNull();
        run.Status.ShouldBe(DrillRunStatus.Failed);
        var report = run.Report.ShouldNotBeNull();
        report.Notes[0].ShouldBe("no incident opened within the drill's timeout of 10s: the fault was not detected");
        report.Measures.Single(m => m.Name == "detect").Verdict.ShouldBe(DrillVerdict.Fail);
        report.Events.Select(e => (e.What, e.Outcome)).ShouldBe([("fault made (command touch)", "done"), ("fault cleared (command rm)", "done")]);
        File.Exists(marker).ShouldBeFalse("the clear step ran");
        (run.FinishedAt!.Value - run.FaultAt!.Value).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Tick_RunAStoppedControllerLeftRunning_IsClosedAbortedUnjudgedAndItsFaultCleared()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"rewind-drill-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(marker, "the fault the last leader made");
        await using var fixture = await EngineFixture.StartAsync(extra: Drills(marker));
        var requested = await fixture.Store.RequestDrillRunAsync("quiet", ["web"], "alice", fixture.Now, scheduled: false);
        await fixture.Store.UpdateDrillRunAsync(requested with { Status = DrillRunStatus.Running, StartedAt = fixture.Now, FaultAt = fixture.Now }, DrillRunStatus.Requested);

        await fixture.Get<DrillQueue>().TickAsync();

        var run = (await fixture.Store.GetDrillRunAsync(requested.Id)).ShouldNotBeNull();
        run.Status.ShouldBe(DrillRunStatus.Aborted);
        run.Summary.ShouldBe("aborted: the controller running the drill stopped before it ended; the next leader cleared its fault and closed it unjudged");
        run.Report.ShouldNotBeNull().Measures.ShouldBeEmpty();
        File.Exists(marker).ShouldBeFalse("the clear step ran");
    }

    [Fact]
    public async Task Tick_ScheduledDrillDueWhileARealIncidentIsOpen_IsRecordedRefusedAndMakesNoFault()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"rewind-drill-{Guid.NewGuid():N}");
        await using var fixture = await EngineFixture.StartAsync(extra: Drills(marker, "schedule: \"0 * * * * ?\""));
        var queue = fixture.Get<DrillQueue>();
        var real = await fixture.Store.OpenIncidentAsync("web", Severity.P1, "web: down", "health", "v2", fixture.Now, "policy:health");

        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        await queue.TickAsync();

        var run = (await fixture.Store.GetDrillRunsAsync("quiet", 10)).ShouldHaveSingleItem();
        run.Status.ShouldBe(DrillRunStatus.Refused);
        run.Scheduled.ShouldBeTrue();
        run.RequestedBy.ShouldBe("schedule");
        run.Summary.ShouldBe($"incident {real.Id} is open on web (web: down); a drill never starts while a real incident is open");
        File.Exists(marker).ShouldBeFalse();
        await queue.TickAsync();
        (await fixture.Store.GetDrillRunsAsync("quiet", 10)).Count.ShouldBe(1, "not due again within the same minute");
    }

    [Fact]
    public async Task Tick_StopFault_SignalsTheProcessInThePidFile()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"rewind-drill-{Guid.NewGuid():N}.pid");
        using var victim = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        await File.WriteAllTextAsync(pidFile, victim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        await using var fixture = await EngineFixture.StartAsync(extra: $$"""
            drills:
              crash:
                component: web
                fault: { stop: { pid-file: "{{pidFile}}", signal: KILL } }
                timeout: 10s
            """);
        var requested = await fixture.Store.RequestDrillRunAsync("crash", ["web"], "alice", fixture.Now, scheduled: false);

        var tick = fixture.Get<DrillQueue>().TickAsync();
        await Eventually.WaitAsync(() => Task.FromResult(victim.HasExited), TimeSpan.FromSeconds(30), "the process to be killed");
        await AdvanceUntilAsync(fixture, tick);

        var run = (await fixture.Store.GetDrillRunAsync(requested.Id)).ShouldNotBeNull();
        run.Report.ShouldNotBeNull().Events[0].ShouldSatisfyAllConditions(
            e => e.What.ShouldBe($"fault made (stop: SIGKILL to the process in {Path.GetFileName(pidFile)})"),
            e => e.Outcome.ShouldBe("done"),
            e => e.Detail.ShouldBe($"SIGKILL sent to process {victim.Id} (from {pidFile})"));
        File.Delete(pidFile);
    }

    /// <summary>
    /// Moves the clock a poll at a time (the watch polls every 250 ms) until the tick is done, giving the runner's real
    /// processes (the clear step) time between moves; at most a minute of real time.
    /// </summary>
    private static async Task AdvanceUntilAsync(EngineFixture fixture, Task tick)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!tick.IsCompleted && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromMinutes(1))
        {
            fixture.Time.Advance(TimeSpan.FromMilliseconds(250));
#pragma warning disable RS0030 // real threads get a moment between steps of virtual time
            await Task.WhenAny(tick, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System));
#pragma warning restore RS0030
        }

        tick.IsCompleted.ShouldBeTrue("the drill ended within a minute of real time");
        await tick;
    }
}
