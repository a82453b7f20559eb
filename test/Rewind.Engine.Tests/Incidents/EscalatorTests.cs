using System.Text.Json;
using Rewind.Core.Incidents;
using Rewind.Core.Notifications;
using Rewind.Engine.Approvals;
using Rewind.Engine.Incidents;
using Rewind.Engine.Notifications;

namespace Rewind.Engine.Tests.Incidents;

/// <summary>
/// The escalation policy in virtual time: levels reached on the engine's clock, each put in the outbox exactly once for
/// its own channels (nothing is sent here: the outbox is what delivery reads), across a controller restart.
/// </summary>
public sealed class EscalatorTests
{
    private const string PolicyOnly = """
        escalation:
          - when: { components: [web] }
            levels:
              - { after: 10m, contacts: [oncall] }
              - { after: 30m, if: unresolved, contacts: [manager] }
        """;

    [Fact]
    public async Task Levels_InVirtualTimeAndAcrossARestart_EachQueuedOnceForItsOwnChannels()
    {
        var config = Config(Secret());
        await using var first = await EngineFixture.StartAsync(extra: config);
        var incident = await first.Store.OpenIncidentAsync("web", Severity.P1, "web down", "health", "v2", first.Now, "test");
        var t0 = incident.OpenedAt;
        var escalator = first.Get<Escalator>();

        (await escalator.CheckAsync(t0)).ShouldBe(1); // level 1 (after 0s) at the opening
        (await escalator.CheckAsync(t0 + TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(59))).ShouldBe(0);
        (await escalator.CheckAsync(t0 + TimeSpan.FromMinutes(15))).ShouldBe(1);
        (await escalator.CheckAsync(t0 + TimeSpan.FromMinutes(16))).ShouldBe(0); // reached once
        (await first.Store.GetIncidentAsync(incident.Id))!.EscalationLevel.ShouldBe(2);

        // The controller is down across the 30-minute mark; the next one reaches level 3 once, and only level 3.
        await using var second = await EngineFixture.StartAsync(extra: config, store: "sqlite:" + Path.Combine(first.Root, "rewind.db"), at: t0 + TimeSpan.FromMinutes(29));
        var next = second.Get<Escalator>();
        (await next.CheckAsync(t0 + TimeSpan.FromMinutes(29))).ShouldBe(0);
        (await next.CheckAsync(t0 + TimeSpan.FromMinutes(31))).ShouldBe(1);
        (await next.CheckAsync(t0 + TimeSpan.FromMinutes(45))).ShouldBe(0);
        while (await second.Get<NotificationTail>().TailOnceAsync())
        {
        }

        (await PendingAsync(second, "primary")).Select(m => m.Event).ShouldBe([NotificationEvent.Opened, NotificationEvent.Escalation]); // events: [opened] and level 1
        (await PendingAsync(second, "secondary")).ShouldHaveSingleItem().Text.ShouldStartWith($"[P1] web: ESCALATION, a person must decide (incident {incident.Id})\n\"escalated to level 2 (secondary on-call, bob): not acknowledged 15m after opening\"");
        var level3 = (await PendingAsync(second, "managers")).ShouldHaveSingleItem();
        using var payload = JsonDocument.Parse(level3.Payload);
        payload.RootElement.GetProperty("escalation").GetProperty("level").GetInt32().ShouldBe(3);
        payload.RootElement.GetProperty("escalation").GetProperty("contacts")[0].GetString().ShouldBe("engineering manager");
        level3.Text.ShouldBe($"MANAGERS: {incident.Id} web at level 3 (engineering manager): \"escalated to level 3 (engineering manager): not resolved 30m after opening\"");
        (await second.TimelineAsync(incident.Id)).Where(e => e.Kind == TimelineKinds.Escalation).Select(e => e.Message).ShouldBe([
            "escalated to level 1 (alice): not acknowledged: paged at opening",
            "escalated to level 2 (secondary on-call, bob): not acknowledged 15m after opening",
            "escalated to level 3 (engineering manager): not resolved 30m after opening",
        ]);
    }

    [Fact]
    public async Task Acknowledged_SkipsTheUnacknowledgedLevelButNotTheUnresolvedOne()
    {
        await using var engine = await EngineFixture.StartAsync(extra: PolicyOnly);
        var incident = await engine.Store.OpenIncidentAsync("web", Severity.P1, "web down", "health", "v2", engine.Now, "test");
        var lifecycle = engine.Get<IncidentLifecycleWorkflow>();
        (await lifecycle.AcknowledgeAsync(incident.Id, "alice")).Value.ShouldNotBeNull();
        var escalator = engine.Get<Escalator>();

        (await escalator.CheckAsync(incident.OpenedAt + TimeSpan.FromMinutes(20))).ShouldBe(0); // level 1 needs "unacknowledged"
        (await engine.Store.GetIncidentAsync(incident.Id))!.EscalationLevel.ShouldBe(0);
        (await escalator.CheckAsync(incident.OpenedAt + TimeSpan.FromMinutes(30))).ShouldBe(1);
        (await engine.Store.GetIncidentAsync(incident.Id))!.EscalationLevel.ShouldBe(2);

        (await engine.Get<ResolveWorkflow>().ResolveAsync(incident.Id, "alice", "fixed", falsePositive: false)).Value.ShouldNotBeNull();
        (await escalator.CheckAsync(incident.OpenedAt + TimeSpan.FromHours(5))).ShouldBe(0);
        (await lifecycle.AcknowledgeAsync(incident.Id, "alice")).Refusal.ShouldNotBeNull().Title.ShouldBe("already resolved");
    }

    [Fact]
    public async Task Escalate_ByHand_RaisesOneLevelThenRepagesTheLast()
    {
        await using var engine = await EngineFixture.StartAsync(extra: PolicyOnly);
        var incident = await engine.Store.OpenIncidentAsync("web", Severity.P1, "web down", "health", "v2", engine.Now, "test");
        var lifecycle = engine.Get<IncidentLifecycleWorkflow>();

        (await lifecycle.EscalateAsync(incident.Id, "alice", "customers calling")).Value!.EscalationLevel.ShouldBe(1);
        (await engine.TimelineAsync(incident.Id))[^1].Message.ShouldBe("escalated to level 1 (oncall) by alice: customers calling");
        (await lifecycle.EscalateAsync(incident.Id, "alice", "still down")).Value!.EscalationLevel.ShouldBe(2);
        var again = await lifecycle.EscalateAsync(incident.Id, "alice", "nobody answers");
        again.Value!.EscalationLevel.ShouldBe(2);
        (await engine.TimelineAsync(incident.Id))[^1].Message.ShouldBe("escalation by alice: nobody answers; paging level 2 (manager) again (the last level)");

        (await engine.Get<ResolveWorkflow>().ResolveAsync(incident.Id, "alice", "fixed", falsePositive: false)).Value.ShouldNotBeNull();
        (await lifecycle.EscalateAsync(incident.Id, "alice", "late")).Refusal.ShouldBe(new Refusal(RefusalKind.Conflict, "already resolved", $"incident {incident.Id} was resolved at {Rewind.Core.Configuration.Timestamps.Format(engine.Now)}; there is nobody left to page"));
        (await engine.TimelineAsync(incident.Id)).Count(e => e.Kind == TimelineKinds.Escalation).ShouldBe(3);
        var metrics = await engine.Get<Metrics.ControllerMetrics>().Registry.WriteAsync();
        metrics.ShouldContain("rewind_escalations_total{component=\"web\",level=\"1\"} 1\n");
        metrics.ShouldContain("rewind_escalations_total{component=\"web\",level=\"2\"} 1\n");
    }

    [Fact]
    public async Task Escalate_WithoutAPolicy_PagesTheChannelsTakingEscalations()
    {
        await using var engine = await EngineFixture.StartAsync();
        var incident = await engine.Store.OpenIncidentAsync("web", Severity.P2, "web slow", "latency", "v2", engine.Now, "test");

        var escalated = await engine.Get<IncidentLifecycleWorkflow>().EscalateAsync(incident.Id, "alice", "looks worse");

        escalated.Value!.EscalationLevel.ShouldBe(0);
        (await engine.TimelineAsync(incident.Id))[^1].Message.ShouldBe("escalation by alice: looks worse; paging the channels taking escalations");
    }

    [Fact]
    public async Task ApprovalTimeout_RaisesTheIncidentToItsNextLevel()
    {
        await using var engine = await EngineFixture.StartAsync(extra: "approvals: [ { any-of: [approver], decide-within: 1s } ]\n" + PolicyOnly);
        await engine.StableV1ThenV2Async();
        var requested = await Approvals.ApprovalWorkflowTests.RequestAsync(engine, "bad deploy");

        engine.Time.Advance(TimeSpan.FromSeconds(1));
        await engine.Get<ApprovalTimeouts>().CheckAsync();

        (await engine.Store.GetIncidentAsync(requested.IncidentId!))!.EscalationLevel.ShouldBe(1);
        (await engine.TimelineAsync(requested.IncidentId!)).Single(e => e.Kind == TimelineKinds.Escalation).Message
            .ShouldStartWith($"escalated to level 1 (oncall) by controller: {requested.Id}: no decision within 1s; still waiting for");
    }

    private static Task<IReadOnlyList<OutboxMessage>> PendingAsync(EngineFixture engine, string channel) =>
        engine.Store.GetPendingNotificationsAsync(channel, 50);

    /// <summary>Three webhook channels (never called here) and a policy of three levels, each level with its own channel.</summary>
    private static string Config(string secretEnv) => $$$"""
        notifications:
          channels:
            primary: { webhook: { url: "http://127.0.0.1:9/primary", secret-env: {{{secretEnv}}} }, events: [opened] }
            secondary: { webhook: { url: "http://127.0.0.1:9/secondary", secret-env: {{{secretEnv}}} }, events: [] }
            managers:
              webhook: { url: "http://127.0.0.1:9/managers", secret-env: {{{secretEnv}}} }
              events: []
              templates:
                escalation: "MANAGERS: {{incident.id}} {{incident.component}} at level {{escalation.level}} ({{escalation.contacts}}): {{entry.message}}"
        escalation:
          - name: production
            when: { severity: [P0, P1] }
            levels:
              - { after: 0s, contacts: [alice], channels: [primary] }
              - { after: 15m, if: unacknowledged, contacts: [secondary on-call, bob], channels: [secondary] }
              - { after: 30m, if: unresolved, contacts: [engineering manager], channels: [managers] }
        """;

    private static string Secret()
    {
        var variable = $"REWIND_TEST_HOOK_SECRET_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, Guid.NewGuid().ToString("N"));
        return variable;
    }
}
