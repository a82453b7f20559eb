using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Incidents;
using Rewind.Engine.Incidents;
using Rewind.Server.Tests.Notifications;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Incidents;

/// <summary>
/// The escalation policy on a real controller with real receivers: levels reached on the controller's clock (checked at
/// chosen instants, i.e. in virtual time), each delivered exactly once to its own channels, across a controller restart;
/// escalating by hand over HTTP. The rest of the rules are tested on the engine in virtual time.
/// </summary>
public sealed class EscalationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Levels_InVirtualTimeAndAcrossARestart_EachPagedOnceToItsOwnChannels()
    {
        var (secretEnv, secret) = Secret();
        await using var primary = await WebhookReceiver.UpAsync(secret);
        await using var secondary = await WebhookReceiver.UpAsync(secret);
        await using var managers = await WebhookReceiver.UpAsync(secret);
        var config = Config(secretEnv, primary, secondary, managers);
        var storeDirectory = Directory.CreateTempSubdirectory("rewind-escalation-store-").FullName;
        try
        {
            var store = $"sqlite:{storeDirectory}/rewind.db";
            Incident incident;
            await using (var first = await ServerFixture.StartAsync(store: store, extra: config))
            {
                incident = await first.Store.OpenIncidentAsync("web", Severity.P1, "web down", "health", "v2", TimeProvider.System.GetUtcNow(), "test");
                var t0 = incident.OpenedAt;

                // Level 1 (after 0s) is reached by the controller's own clock within a second.
                await Eventually.WaitAsync(async () => (await first.Client.GetIncidentAsync(incident.Id)).Escalation?.Level == 1, Deadline, "level 1 reached at opening");
                var escalator = first.Service<Escalator>();
                (await escalator.CheckAsync(t0 + TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(59))).ShouldBe(0);
                (await escalator.CheckAsync(t0 + TimeSpan.FromMinutes(15))).ShouldBe(1);
                (await escalator.CheckAsync(t0 + TimeSpan.FromMinutes(16))).ShouldBe(0); // reached once
                await Eventually.WaitAsync(() => Task.FromResult(secondary.Deliveries.Count == 1), Deadline, "level 2 paged");

                var shown = await first.Client.GetIncidentAsync(incident.Id);
                shown.Escalation.ShouldNotBeNull();
                shown.Escalation.ShouldBe(shown.Escalation with { Policy = "production", Level = 2, Levels = 3 });
                shown.Escalation.Contacts.ShouldBe(["secondary on-call", "bob"]);
                shown.Escalation.Next.ShouldNotBeNull();
                shown.Escalation.Next.ShouldBe(shown.Escalation.Next with { Level = 3, At = t0 + TimeSpan.FromMinutes(30), If = "unresolved" });
            }

            // The controller is down across the 30-minute mark; the next one reaches level 3 once, and only level 3.
            await using var second = await ServerFixture.StartAsync(store: store, extra: config);
            var next = second.Service<Escalator>();
            (await next.CheckAsync(incident.OpenedAt + TimeSpan.FromMinutes(29))).ShouldBe(0);
            (await next.CheckAsync(incident.OpenedAt + TimeSpan.FromMinutes(31))).ShouldBe(1);
            (await next.CheckAsync(incident.OpenedAt + TimeSpan.FromMinutes(45))).ShouldBe(0);
            await Eventually.WaitAsync(() => Task.FromResult(managers.Deliveries.Count == 1), Deadline, "level 3 paged");
            await Eventually.WaitAsync(async () => (await second.Client.GetNotificationsAsync("pending")).Count == 0, Deadline, "the outbox drained");

            await AssertPagedOnceEachAsync(second, incident, primary, secondary, managers);
        }
        finally
        {
            Directory.Delete(storeDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Escalate_ByHand_RaisesOneLevelThenRepagesTheLast_OperatorsOnly()
    {
        await using var server = await ServerFixture.StartAsync(extra: PolicyOnly);
        var incident = await server.Store.OpenIncidentAsync("web", Severity.P1, "web down", "health", "v2", TimeProvider.System.GetUtcNow(), "test");

        var first = await server.Client.EscalateIncidentAsync(incident.Id, new EscalateIncidentRequest("customers calling"));
        first.Escalation!.Level.ShouldBe(1);
        first.Timeline[^1].Message.ShouldBe("escalated to level 1 (oncall) by alice: customers calling");
        (await server.Client.EscalateIncidentAsync(incident.Id, new EscalateIncidentRequest("still down"))).Escalation!.Level.ShouldBe(2);
        var metrics = await server.Http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        metrics.ShouldContain("rewind_escalations_total{component=\"web\",level=\"1\"} 1\n");
        metrics.ShouldContain("rewind_escalations_total{component=\"web\",level=\"2\"} 1\n");
        var again = await server.Client.EscalateIncidentAsync(incident.Id, new EscalateIncidentRequest("nobody answers"));
        again.Escalation!.Level.ShouldBe(2);
        again.Timeline[^1].Message.ShouldBe("escalation by alice: nobody answers; paging level 2 (manager) again (the last level)");

        await server.Client.CreateUserAsync(new CreateUserRequest("vera", [Roles.Viewer]));
        using var viewerHttp = server.HttpAs((await server.Client.CreateTokenAsync("vera", new CreateTokenRequest())).Token);
        var denied = await Should.ThrowAsync<RewindApiException>(() => new RewindClient(viewerHttp).EscalateIncidentAsync(incident.Id, new EscalateIncidentRequest("x")));
        denied.Status.ShouldBe(403);
        (await Should.ThrowAsync<RewindApiException>(() => server.Client.EscalateIncidentAsync(incident.Id, new EscalateIncidentRequest(" ")))).Status.ShouldBe(400);

        await server.Client.ResolveIncidentAsync(incident.Id, new ResolveIncidentRequest("fixed"));
        (await Should.ThrowAsync<RewindApiException>(() => server.Client.EscalateIncidentAsync(incident.Id, new EscalateIncidentRequest("late")))).Status.ShouldBe(409);
        (await server.Client.GetIncidentAsync(incident.Id)).Timeline.Count(e => e.Kind == "escalation").ShouldBe(3);
    }

    private static async Task AssertPagedOnceEachAsync(ServerFixture server, Incident incident, WebhookReceiver primary, WebhookReceiver secondary, WebhookReceiver managers)
    {
        primary.Deliveries.Select(d => d.Event).ShouldBe(["opened", "escalation"]); // events: [opened] and level 1
        secondary.Deliveries.ShouldHaveSingleItem().Event.ShouldBe("escalation"); // events: [] — only its level
        managers.Deliveries.ShouldHaveSingleItem().Event.ShouldBe("escalation");
        var level3 = managers.Deliveries[0];
        level3.SignatureValid.ShouldBeTrue();
        level3.Body.GetProperty("escalation").GetProperty("level").GetInt32().ShouldBe(3);
        level3.Body.GetProperty("escalation").GetProperty("contacts")[0].GetString().ShouldBe("engineering manager");
        level3.Body.GetProperty("text").GetString().ShouldBe($"MANAGERS: {incident.Id} web at level 3 (engineering manager): \"escalated to level 3 (engineering manager): not resolved 30m after opening\"");
        secondary.Deliveries[0].Body.GetProperty("text").GetString()!.ShouldStartWith($"[P1] web: ESCALATION, a person must decide (incident {incident.Id})\n\"escalated to level 2 (secondary on-call, bob): not acknowledged 15m after opening\"");

        var timeline = (await server.Client.GetIncidentAsync(incident.Id)).Timeline.Where(e => e.Kind == "escalation").Select(e => e.Message).ToList();
        timeline.ShouldBe([
            "escalated to level 1 (alice): not acknowledged: paged at opening",
            "escalated to level 2 (secondary on-call, bob): not acknowledged 15m after opening",
            "escalated to level 3 (engineering manager): not resolved 30m after opening",
        ]);
        (await server.Client.GetIncidentAsync(incident.Id)).Escalation!.Next.ShouldBeNull();
    }

    private const string PolicyOnly = """
        escalation:
          - when: { components: [web] }
            levels:
              - { after: 10m, contacts: [oncall] }
              - { after: 30m, if: unresolved, contacts: [manager] }
        """;

    private static string Config(string secretEnv, WebhookReceiver primary, WebhookReceiver secondary, WebhookReceiver managers) => $$$"""
        notifications:
          channels:
            primary: { webhook: { url: "{{{primary.Url}}}", secret-env: {{{secretEnv}}} }, events: [opened] }
            secondary: { webhook: { url: "{{{secondary.Url}}}", secret-env: {{{secretEnv}}} }, events: [] }
            managers:
              webhook: { url: "{{{managers.Url}}}", secret-env: {{{secretEnv}}} }
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

    private static (string Variable, string Secret) Secret()
    {
        var variable = $"REWIND_TEST_HOOK_SECRET_{Guid.NewGuid():N}";
        var secret = Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        return (variable, secret);
    }
}
