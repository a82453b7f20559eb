using Rewind.Core.Incidents;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task EscalateIncidentAsync_OnlyUpward_OnceEachLevel_WithItsEntry()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P1, "down", "down", null, T0, "policy:down");
        incident.EscalationLevel.ShouldBe(0);
        var two = new TimelineEvent(incident.Id, T0.AddMinutes(15), TimelineKinds.Escalation, "escalated to level 2", "controller", TimelineMilestones.EscalationLevel(2));

        (await Store.EscalateIncidentAsync(2, two)).ShouldBeTrue();
        (await Store.EscalateIncidentAsync(2, two with { Message = "again" })).ShouldBeFalse(); // a second controller, or after a restart
        (await Store.EscalateIncidentAsync(1, two with { Message = "lower" })).ShouldBeFalse();

        (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull().EscalationLevel.ShouldBe(2);
        var timeline = await Store.GetTimelineAsync(incident.Id);
        timeline.Select(e => e.Kind).ShouldBe([TimelineKinds.Opened, TimelineKinds.Escalation]);
        timeline[1].ShouldBe(two);
    }

    [Fact]
    public async Task EscalateIncidentAsync_Resolved_WritesNothing()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P1, "down", "down", null, T0, "policy:down");
        await Store.MoveIncidentAsync(IncidentStatus.Investigating, IncidentStatus.Resolved, new TimelineEvent(incident.Id, T0.AddMinutes(1), TimelineKinds.Resolved, "fixed", "alice"));

        (await Store.EscalateIncidentAsync(1, new TimelineEvent(incident.Id, T0.AddMinutes(15), TimelineKinds.Escalation, "late", "controller"))).ShouldBeFalse();

        (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull().EscalationLevel.ShouldBe(0);
        (await Store.GetTimelineAsync(incident.Id)).ShouldNotContain(e => e.Kind == TimelineKinds.Escalation);
    }

    [Fact]
    public async Task GetOpenIncidentsAsync_EveryUnresolvedIncidentOldestFirst()
    {
        var web = NewComponent("web");
        var api = NewComponent("api");
        var older = await Store.OpenIncidentAsync(web, Severity.P2, "slow", null, null, T0, "alice");
        var newer = await Store.OpenIncidentAsync(api, Severity.P1, "down", null, null, T0.AddMinutes(1), "alice");
        var resolved = await Store.OpenIncidentAsync(NewComponent(), Severity.P1, "down", null, null, T0, "alice");
        await Store.MoveIncidentAsync(IncidentStatus.Investigating, IncidentStatus.Resolved, new TimelineEvent(resolved.Id, T0.AddMinutes(1), TimelineKinds.Resolved, "fixed", "alice"));

        var open = (await Store.GetOpenIncidentsAsync()).Where(i => i.Component == web || i.Component == api || i.Id == resolved.Id).ToList();

        open.ShouldBe([older, newer]);
    }
}
