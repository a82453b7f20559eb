using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task GetIncidentRecordAsync_RolledBackIncident_HasTimelineRollbacksWithStepsAndItsRelease()
    {
        var component = NewComponent();
        await Store.EnsureComponentAsync(component, "release-dir");
        await Store.RecordReleaseAsync(new Release(component, "1.1.0", ReleaseState.Baking, T0.AddSeconds(-5), "abc", null, "deploy-bot"));
        var incident = await Store.OpenIncidentAsync(component, Severity.P1, "down", "down", "1.1.0", T0, "policy:down");
        await Store.AppendTimelineAsync(new TimelineEvent(incident.Id, T0, TimelineKinds.Evidence, "policy down: failing", "policy:down"));
        var first = (await Store.CreateRollbackAsync(component, incident.Id, "1.1.0", "1.0.0", "down", "policy:down", DefaultPlan(component), T0.AddSeconds(1))).Created!;
        await Store.MarkStepStartedAsync(first.Id, 0, T0.AddSeconds(2));
        await Store.MarkStepFinishedAsync(first.Id, 0, StepStatus.Succeeded, T0.AddSeconds(3), "switched");
        await Store.FinishRollbackAsync(new RollbackFinish(first.Id, RollbackStatus.Failed, T0.AddSeconds(4), "restart failed"));
        var second = (await Store.CreateRollbackAsync(component, incident.Id, "1.1.0", "1.0.0", "again", "alice", DefaultPlan(component), T0.AddSeconds(10))).Created!;
        await Store.CreateRollbackAsync(NewComponent(), null, "1.1.0", "1.0.0", "elsewhere", "alice", DefaultPlan(component), T0.AddSeconds(10));

        var record = (await Store.GetIncidentRecordAsync(incident.Id)).ShouldNotBeNull();

        record.Incident.ShouldBe(incident);
        record.Timeline.Select(e => e.Kind).ShouldBe([TimelineKinds.Opened, TimelineKinds.Evidence]);
        record.Rollbacks.Select(r => r.Id).ShouldBe([first.Id, second.Id]);
        record.Rollbacks[0].Steps[0].ShouldBe(new RollbackStep(0, DefaultPlan(component)[0], StepStatus.Succeeded, 1, T0.AddSeconds(2), T0.AddSeconds(3), "switched"));
        record.Release.ShouldNotBeNull().RecordedAt.ShouldBe(T0.AddSeconds(-5));
        (await Store.GetIncidentRecordAsync("INC-1999-01-01-0001")).ShouldBeNull();
    }

    [Fact]
    public async Task GetIncidentRecordsAsync_Window_IsOpenedAtSinceInclusiveUntilExclusiveOldestFirst()
    {
        // The only test that opens incidents on 2040-05-05 (UTC).
        var day = new DateTimeOffset(2040, 5, 5, 8, 0, 0, TimeSpan.Zero);
        var web = NewComponent("web");
        var api = NewComponent("api");
        var before = await Store.OpenIncidentAsync(web, Severity.P2, "before", null, null, day.AddMilliseconds(-1), "alice");
        var atStart = await Store.OpenIncidentAsync(web, Severity.P2, "at start", null, "9.9.9", day, "alice");
        var other = await Store.OpenIncidentAsync(api, Severity.P2, "other", null, null, day.AddHours(1), "bob");
        var atEnd = await Store.OpenIncidentAsync(web, Severity.P2, "at end", null, null, day.AddHours(2), "alice");
        await Store.AppendTimelineAsync(new TimelineEvent(atStart.Id, day.AddMinutes(1), TimelineKinds.Note, "looking", "alice"));
        await Store.CreateRollbackAsync(api, other.Id, "2.0.0", "1.0.0", "errors", "bob", DefaultPlan(api), day.AddHours(1));

        var all = await Store.GetIncidentRecordsAsync(day, day.AddHours(2));
        var webOnly = await Store.GetIncidentRecordsAsync(day, day.AddHours(3), web);

        all.Select(r => r.Incident.Id).ShouldBe([atStart.Id, other.Id]);
        all[0].Timeline.Select(e => e.Message).ShouldBe(["at start", "looking"]);
        all[0].Rollbacks.ShouldBeEmpty();
        all[0].Release.ShouldBeNull(); // 9.9.9 was never recorded
        all[1].Rollbacks.ShouldHaveSingleItem().IncidentId.ShouldBe(other.Id);
        all[1].Rollbacks[0].Steps.Count.ShouldBe(3);
        webOnly.Select(r => r.Incident.Id).ShouldBe([atStart.Id, atEnd.Id]);
        webOnly.ShouldNotContain(r => r.Incident.Id == before.Id);
        (await Store.GetIncidentRecordsAsync(day.AddDays(1), day.AddDays(2))).ShouldBeEmpty();
    }
}
