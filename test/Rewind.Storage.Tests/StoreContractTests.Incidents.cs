using Rewind.Core.Incidents;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task OpenIncidentAsync_SameUtcDay_NumbersSequentiallyPerDay()
    {
        // The only test that opens incidents on 2026-11-22 and 2026-11-23 (UTC).
        var day = new DateTimeOffset(2026, 11, 22, 0, 0, 1, TimeSpan.Zero);

        var first = await Store.OpenIncidentAsync(NewComponent(), Severity.P1, "error rate 5 %", "error-rate", "1.1.0", day, "policy:error-rate");
        var second = await Store.OpenIncidentAsync(NewComponent(), Severity.P0, "frontend down", null, null, day.AddHours(23), "alice");
        var lateEvening = await Store.OpenIncidentAsync(NewComponent(), Severity.P2, "slow", null, null, new DateTimeOffset(2026, 11, 22, 20, 0, 0, TimeSpan.FromHours(-5)), "bob");

        first.Id.ShouldBe("INC-2026-11-22-0001");
        second.Id.ShouldBe("INC-2026-11-22-0002");
        lateEvening.Id.ShouldBe("INC-2026-11-23-0001");
    }

    [Fact]
    public async Task OpenIncidentAsync_NewIncident_IsInvestigatingWithOpenedTimelineEvent()
    {
        var component = NewComponent();

        var incident = await Store.OpenIncidentAsync(component, Severity.P1, "p95 above 500 ms", "latency", "1.1.0", T0, "policy:latency");

        (await Store.GetIncidentAsync(incident.Id)).ShouldBe(incident);
        incident.ShouldBe(new Incident(incident.Id, component, Severity.P1, IncidentStatus.Investigating, "p95 above 500 ms", "latency", T0, null, "1.1.0"));
        (await Store.GetTimelineAsync(incident.Id)).ShouldBe([new TimelineEvent(incident.Id, T0, TimelineKinds.Opened, "p95 above 500 ms", "policy:latency")]);
    }

    [Fact]
    public async Task GetTimelineAsync_AppendedEvents_ReturnsThemInTimeThenAppendOrder()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P2, "errors", null, null, T0, "alice");
        var decision = new TimelineEvent(incident.Id, T0.AddSeconds(5), TimelineKinds.Decision, "roll back to 1.0.0", "policy");
        var rollback = new TimelineEvent(incident.Id, T0.AddSeconds(5), TimelineKinds.Rollback, "RB started", "controller");
        var note = new TimelineEvent(incident.Id, T0.AddSeconds(9), TimelineKinds.Note, "looking", "bob");
        var evidence = new TimelineEvent(incident.Id, T0.AddSeconds(2), TimelineKinds.Evidence, "error rate 5.1 %", "monitor");

        foreach (var entry in new[] { decision, rollback, note, evidence })
        {
            await Store.AppendTimelineAsync(entry);
        }

        var timeline = await Store.GetTimelineAsync(incident.Id);

        timeline.Select(e => e.Kind).ShouldBe([TimelineKinds.Opened, TimelineKinds.Evidence, TimelineKinds.Decision, TimelineKinds.Rollback, TimelineKinds.Note]);
        timeline[3].ShouldBe(rollback);
    }

    [Fact]
    public async Task GetOpenIncidentAsync_TwoComponents_ReturnsEachComponentsOwnUntilResolved()
    {
        var web = NewComponent("web");
        var api = NewComponent("api");
        var webIncident = await Store.OpenIncidentAsync(web, Severity.P1, "web errors", null, null, T0, "alice");
        var apiIncident = await Store.OpenIncidentAsync(api, Severity.P2, "api slow", null, null, T0.AddMinutes(1), "alice");

        (await Store.GetOpenIncidentAsync(web)).ShouldBe(webIncident);
        (await Store.GetOpenIncidentAsync(api)).ShouldBe(apiIncident);

        await Store.SetIncidentStatusAsync(webIncident.Id, IncidentStatus.Resolved, T0.AddMinutes(30));

        (await Store.GetOpenIncidentAsync(web)).ShouldBeNull();
        (await Store.GetOpenIncidentAsync(api)).ShouldBe(apiIncident);
        (await Store.GetOpenIncidentAsync(NewComponent())).ShouldBeNull();
    }

    [Fact]
    public async Task SetIncidentStatusAsync_Mitigating_ThenResolved_SetsResolvedAtOnlyWhenResolved()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P0, "down", null, null, T0, "alice");

        await Store.SetIncidentStatusAsync(incident.Id, IncidentStatus.Mitigating, T0.AddMinutes(1));
        var mitigating = (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull();
        await Store.SetIncidentStatusAsync(incident.Id, IncidentStatus.Resolved, T0.AddMinutes(9));
        var resolved = (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull();

        mitigating.Status.ShouldBe(IncidentStatus.Mitigating);
        mitigating.ResolvedAt.ShouldBeNull();
        resolved.Status.ShouldBe(IncidentStatus.Resolved);
        resolved.ResolvedAt.ShouldBe(T0.AddMinutes(9));
        resolved.IsOpen.ShouldBeFalse();
    }

    [Fact]
    public async Task GetIncidentsAsync_Limit_ReturnsNewestFirst()
    {
        // Far in the future so that no other test's incident is newer.
        var at = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var older = await Store.OpenIncidentAsync(NewComponent(), Severity.P3, "older", null, null, at, "alice");
        var newer = await Store.OpenIncidentAsync(NewComponent(), Severity.P3, "newer", null, null, at.AddMinutes(1), "alice");
        var newest = await Store.OpenIncidentAsync(NewComponent(), Severity.P3, "newest", null, null, at.AddMinutes(2), "alice");

        var incidents = await Store.GetIncidentsAsync(2);

        incidents.ShouldBe([newest, newer]);
        (await Store.GetIncidentsAsync(100)).ShouldContain(older);
    }

    [Fact]
    public async Task GetIncidentAsync_UnknownId_ReturnsNull()
    {
        (await Store.GetIncidentAsync("INC-1999-01-01-0001")).ShouldBeNull();
    }

    [Fact]
    public async Task AcknowledgeIncidentAsync_Twice_RecordsTheFirstOnceWithItsTimelineEntry()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P1, "down", null, null, T0, "policy:down");
        var first = new TimelineEvent(incident.Id, T0.AddSeconds(30), TimelineKinds.Acknowledged, "acknowledged by alice", "alice");
        var second = new TimelineEvent(incident.Id, T0.AddSeconds(40), TimelineKinds.Acknowledged, "acknowledged by bob", "bob");

        (await Store.AcknowledgeIncidentAsync(first)).ShouldBeTrue();
        (await Store.AcknowledgeIncidentAsync(second)).ShouldBeFalse();

        var stored = (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull();
        (stored.AcknowledgedAt, stored.AcknowledgedBy, stored.Status).ShouldBe((T0.AddSeconds(30), "alice", IncidentStatus.Investigating));
        (await Store.GetTimelineAsync(incident.Id)).Select(e => e.Kind).ShouldBe([TimelineKinds.Opened, TimelineKinds.Acknowledged]);
        (await Store.GetTimelineAsync(incident.Id))[1].ShouldBe(first);
    }

    [Fact]
    public async Task MoveIncidentAsync_FromTheStatusItIsIn_MovesAndAppendsTheEntry()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P2, "slow", null, null, T0, "alice");
        var entry = new TimelineEvent(incident.Id, T0.AddMinutes(1), TimelineKinds.Status, "status investigating -> monitoring by alice", "alice");

        (await Store.MoveIncidentAsync(IncidentStatus.Investigating, IncidentStatus.Monitoring, entry)).ShouldBeTrue();

        var stored = (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull();
        (stored.Status, stored.ResolvedAt, stored.FalsePositive).ShouldBe((IncidentStatus.Monitoring, null, false));
        (await Store.GetTimelineAsync(incident.Id))[^1].ShouldBe(entry);
    }

    [Fact]
    public async Task MarkFalsePositiveAsync_ResolvedIncident_MarksItOnceKeepingItsResolutionTime()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P2, "slow", null, null, T0, "alice");
        var open = new TimelineEvent(incident.Id, T0.AddMinutes(1), TimelineKinds.Note, "marked a false positive by bob after its resolution: blip", "bob");
        var early = await Store.MarkFalsePositiveAsync(open);
        await Store.MoveIncidentAsync(IncidentStatus.Investigating, IncidentStatus.Resolved, new TimelineEvent(incident.Id, T0.AddMinutes(2), TimelineKinds.Resolved, "fixed", "alice"));
        var entry = open with { At = T0.AddMinutes(10) };

        var marked = await Store.MarkFalsePositiveAsync(entry);
        var again = await Store.MarkFalsePositiveAsync(entry with { At = T0.AddMinutes(11) });

        (early, marked, again).ShouldBe((false, true, false));
        var stored = (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull();
        (stored.Status, stored.ResolvedAt, stored.FalsePositive).ShouldBe((IncidentStatus.Resolved, T0.AddMinutes(2), true));
        (await Store.GetTimelineAsync(incident.Id)).Count(e => e.Kind == TimelineKinds.Note).ShouldBe(1);
        (await Store.GetTimelineAsync(incident.Id))[^1].ShouldBe(entry);
    }

    [Fact]
    public async Task MoveIncidentAsync_NotInTheExpectedStatus_WritesNothing()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P2, "slow", null, null, T0, "alice");
        var entry = new TimelineEvent(incident.Id, T0.AddMinutes(1), TimelineKinds.Status, "status mitigating -> monitoring by bob", "bob");

        (await Store.MoveIncidentAsync(IncidentStatus.Mitigating, IncidentStatus.Monitoring, entry)).ShouldBeFalse();

        (await Store.GetIncidentAsync(incident.Id)).ShouldBe(incident);
        (await Store.GetTimelineAsync(incident.Id)).ShouldHaveSingleItem().Kind.ShouldBe(TimelineKinds.Opened);
    }

    [Fact]
    public async Task MoveIncidentAsync_ResolvedAsFalsePositive_StoresResolvedAtAndTheVerdictOnce()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P3, "noisy", "latency", "1.1.0", T0, "policy:latency");
        var resolve = new TimelineEvent(incident.Id, T0.AddMinutes(5), TimelineKinds.Resolved, "resolved by alice as a false positive: probe flapped", "alice");
        var again = resolve with { At = T0.AddMinutes(6), Actor = "bob" };

        (await Store.MoveIncidentAsync(IncidentStatus.Investigating, IncidentStatus.Resolved, resolve, falsePositive: true)).ShouldBeTrue();
        (await Store.MoveIncidentAsync(IncidentStatus.Investigating, IncidentStatus.Resolved, again, falsePositive: false)).ShouldBeFalse();

        var stored = (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull();
        stored.ShouldBe(incident with { Status = IncidentStatus.Resolved, ResolvedAt = T0.AddMinutes(5), FalsePositive = true });
        (await Store.GetTimelineAsync(incident.Id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task SetIncidentStatusAsync_Resolved_IsNotAFalsePositive()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P1, "down", null, null, T0, "policy:down");

        await Store.SetIncidentStatusAsync(incident.Id, IncidentStatus.Resolved, T0.AddMinutes(2));

        (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull().FalsePositive.ShouldBeFalse();
    }
}
