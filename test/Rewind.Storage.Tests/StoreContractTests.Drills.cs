using Rewind.Core.Drills;
using Rewind.Core.Incidents;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task DrillRuns_RequestStartAndFinish_AreReadBackWithTheirReport()
    {
        var (drill, component) = ($"drill-{Guid.NewGuid():N}", NewComponent());
        var requested = await Store.RequestDrillRunAsync(drill, [component, "db"], "alice", T0, scheduled: true);

        requested.Id.ShouldStartWith("DR-2026-03-14-");
        requested.ShouldBe(new DrillRun(requested.Id, drill, [component, "db"], DrillRunStatus.Requested, "alice", T0, true), new DrillRunComparer());
        (await Store.GetOpenDrillRunsAsync()).ShouldContain(r => r.Id == requested.Id);

        var running = requested with { Status = DrillRunStatus.Running, StartedAt = T0.AddSeconds(1), FaultAt = T0.AddSeconds(2) };
        (await Store.UpdateDrillRunAsync(running, DrillRunStatus.Requested)).ShouldBeTrue();
        (await Store.UpdateDrillRunAsync(running, DrillRunStatus.Requested)).ShouldBeFalse("the status is no longer requested");

        var report = Report(requested.Id, drill);
        var passed = running with { Status = DrillRunStatus.Passed, FinishedAt = T0.AddMinutes(1), Summary = report.OneLine(), Report = report };
        (await Store.UpdateDrillRunAsync(passed, DrillRunStatus.Running)).ShouldBeTrue();

        var read = (await Store.GetDrillRunAsync(requested.Id)).ShouldNotBeNull();
        read.Status.ShouldBe(DrillRunStatus.Passed);
        read.FaultAt.ShouldBe(T0.AddSeconds(2));
        read.Report.ShouldNotBeNull().Measures.ShouldBe(report.Measures);
        read.Report.Events.ShouldBe(report.Events);
        read.Report.Data.ShouldBe(report.Data);
        (await Store.GetOpenDrillRunsAsync()).ShouldNotContain(r => r.Id == requested.Id);
        (await Store.GetDrillRunsAsync(drill, 10)).Select(r => r.Id).ShouldBe([requested.Id]);
    }

    [Fact]
    public async Task OpenIncidentAsync_WhileADrillRunsOnTheComponent_BelongsToTheDrill()
    {
        var (drill, component, other) = ($"drill-{Guid.NewGuid():N}", NewComponent(), NewComponent("api"));
        var run = await Store.RequestDrillRunAsync(drill, [component], "alice", T0, scheduled: false);
        var before = await Store.OpenIncidentAsync(component, Severity.P2, "down", "health", "2.0", T0, "policy:health");
        await Store.UpdateDrillRunAsync(run with { Status = DrillRunStatus.Running, StartedAt = T0 }, DrillRunStatus.Requested);

        var during = await Store.OpenIncidentAsync(component, Severity.P2, $"{component}: policy health fired", "health", "2.0", T0.AddSeconds(5), "policy:health");
        var elsewhere = await Store.OpenIncidentAsync(other, Severity.P2, "down", "health", "2.0", T0.AddSeconds(5), "policy:health");

        before.DrillRun.ShouldBeNull("requested is not running yet");
        during.DrillRun.ShouldBe(run.Id);
        during.Title.ShouldBe($"[drill {drill}] {component}: policy health fired");
        (await Store.GetIncidentAsync(during.Id)).ShouldNotBeNull().DrillRun.ShouldBe(run.Id);
        (await Store.GetTimelineAsync(during.Id))[0].Message.ShouldBe(during.Title);
        elsewhere.DrillRun.ShouldBeNull("a component the drill does not hit");

        await Store.UpdateDrillRunAsync(run with { Status = DrillRunStatus.Failed, FinishedAt = T0.AddMinutes(1) }, DrillRunStatus.Running);
        (await Store.OpenIncidentAsync(component, Severity.P2, "down again", "health", "2.0", T0.AddMinutes(2), "policy:health")).DrillRun.ShouldBeNull("the drill ended");
    }

    private static DrillReport Report(string runId, string drill) => new(
        runId,
        drill,
        "a bad release",
        "web",
        ["web"],
        "deploy v2",
        T0.AddSeconds(1),
        T0.AddSeconds(2),
        T0.AddMinutes(1),
        DrillRunStatus.Passed,
        [new DrillMeasure(DrillReport.Detect, TimeSpan.FromMilliseconds(2053), TimeSpan.FromSeconds(30), DrillVerdict.Pass, "from the fault to the incident opened")],
        ["INC-1"],
        ["RB-1"],
        [new DrillEvent(T0.AddSeconds(2), "fault made (deploy v2)", "done", TimeSpan.FromMilliseconds(384), "recorded")],
        new DrillDataLoss(10, 9, 2, TimeSpan.FromSeconds(2), T0.AddSeconds(3), T0.AddSeconds(4)),
        ["a note"]);

    /// <summary>Records with lists compare by reference; this compares what the store keeps.</summary>
    private sealed class DrillRunComparer : IEqualityComparer<DrillRun>
    {
        public bool Equals(DrillRun? x, DrillRun? y) =>
            x is not null && y is not null && x with { Components = [] } == y with { Components = [] } && x.Components.SequenceEqual(y.Components);

        public int GetHashCode(DrillRun obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
