using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>The decision engine on a real controller whose only probe always fails (its port is closed).</summary>
public sealed class DecisionTests
{
    private const string AutoPolicy = "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P0, mode: auto } }";

    [Fact]
    public async Task Fire_WithoutKnownGoodRelease_OneIncidentEscalatedAndNothingTouched()
    {
        // Long enough to record v2 before the first fire, even on a loaded machine: this test counts escalations of one release.
        await using var server = await ServerFixture.StartAsync(policies: AutoPolicy.Replace("failing-for: 300ms", "failing-for: 1500ms", StringComparison.Ordinal));
        await server.Client.RecordReleaseAsync("web", new Client.RecordReleaseRequest("v2"));

        var incident = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Kind == "escalation") ? full : null : null,
            TimeSpan.FromSeconds(20),
            "an escalated incident");

        incident.Severity.ShouldBe("P0");
        incident.Status.ShouldBe("investigating");
        incident.Timeline.ShouldContain(e => e.Message.Contains("no known-good release", StringComparison.Ordinal) && e.Message.Contains("paging a human", StringComparison.Ordinal));
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));

        // The probe keeps failing: still the same single incident, and the policy does not fire again in this episode.
        var samplesSeen = await Eventually.WaitAsync(async () => (await server.Client.GetComponentAsync("web")).Probes[0].At is { } at && at > incident.OpenedAt.AddSeconds(1) ? (object)at : null, TimeSpan.FromSeconds(10), "more samples");
        samplesSeen.ShouldNotBeNull();
        (await server.Client.GetIncidentsAsync()).ShouldHaveSingleItem();
        (await server.Client.GetIncidentAsync(incident.Id)).Timeline.Count(e => e.Kind == "escalation").ShouldBe(1);
    }

    [Fact]
    public async Task Fire_NotifyMode_OpensIncidentWithoutRollback()
    {
        await using var server = await ServerFixture.StartAsync(policies: AutoPolicy.Replace("mode: auto", "mode: notify", StringComparison.Ordinal));
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var incident = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Kind == "decision") ? full : null : null,
            TimeSpan.FromSeconds(20),
            "an incident with a decision");

        incident.Timeline.ShouldContain(e => e.Message == "policy down is notify-only: no rollback");
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task Resolve_ByHand_ClosesTheIncidentWithTheNoteAndRefusesTwice()
    {
        await using var server = await ServerFixture.StartAsync(policies: AutoPolicy);
        await server.Client.RecordReleaseAsync("web", new Client.RecordReleaseRequest("v2"));
        var opened = await Eventually.WaitAsync(async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? i : null, TimeSpan.FromSeconds(20), "an incident");

        var resolved = await server.Client.ResolveIncidentAsync(opened.Id, new Client.ResolveIncidentRequest("fixed forward with v3", "alice"));
        var again = await Should.ThrowAsync<Client.RewindApiException>(() => server.Client.ResolveIncidentAsync(opened.Id, new Client.ResolveIncidentRequest("again")));

        resolved.Status.ShouldBe("resolved");
        resolved.Timeline[^1].Message.ShouldBe("resolved by alice: fixed forward with v3");
        again.Status.ShouldBe(409);
    }

    [Fact]
    public async Task Recover_NotifyModeEpisodeEnds_ResolvesWithoutRollback()
    {
        // Healthy until v2 is recorded, however slow the machine: this test is about one release's episode.
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var server = await ServerFixture.StartAsync(policies: AutoPolicy.Replace("mode: auto", "mode: notify", StringComparison.Ordinal), probeUrl: endpoint.Url);
        await server.Client.RecordReleaseAsync("web", new Client.RecordReleaseRequest("v2"));
        endpoint.Healthy = false;
        var opened = await Eventually.WaitAsync(async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? i : null, TimeSpan.FromSeconds(20), "an incident");

        endpoint.Healthy = true;
        var resolved = await Eventually.WaitAsync(async () => await server.Client.GetIncidentAsync(opened.Id) is { Status: "resolved" } i ? i : null, TimeSpan.FromSeconds(20), "the episode to end");

        resolved.Timeline[^1].Message.ShouldBe("every policy of web has recovered; incident resolved without a rollback");
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Fire_AgainInsideCooldown_DefersTheSecondAutomaticRollbackAndPages()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: false);
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", policies: AutoPolicy.Replace("severity: P0", "cooldown: 1h", StringComparison.Ordinal), probeUrl: endpoint.Url);
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var first = await Eventually.WaitAsync(async () => (await server.Client.GetRollbacksAsync()) is [var r, ..] ? r : null, TimeSpan.FromSeconds(20), "the automatic rollback");
        endpoint.Healthy = true; // v1 answers healthy: the rollback's wait-healthy step passes
        await Eventually.WaitAsync(async () => (await server.Client.GetRollbackAsync(first.Id)).Status == "succeeded", TimeSpan.FromSeconds(20), "the rollback to succeed");
        endpoint.Healthy = false; // and now v1 fails too, minutes later: rolling back again would be flapping

        var second = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, _, ..] ? await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Message.StartsWith("automatic rollback deferred", StringComparison.Ordinal)) ? full : null : null,
            TimeSpan.FromSeconds(20),
            "a second incident with the rollback deferred");

        second.Timeline.ShouldContain(e => e.Message.StartsWith($"automatic rollback deferred: {first.Id} ran", StringComparison.Ordinal) && e.Message.Contains("inside the cooldown of 1h", StringComparison.Ordinal));
        (await server.Client.GetRollbacksAsync()).ShouldHaveSingleItem();
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
    }

    [Fact]
    public async Task FixForward_AfterRefusedRollback_NewReleaseHoldsCleanAndResolvesTheIncident()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: false);
        await using var server = await ServerFixture.StartAsync(policies: AutoPolicy, probeUrl: endpoint.Url);
        await server.Client.RecordReleaseAsync("web", new Client.RecordReleaseRequest("v2"));
        var escalated = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Kind == "escalation") ? full : null : null,
            TimeSpan.FromSeconds(20),
            "an escalated incident");

        await server.Client.RecordReleaseAsync("web", new Client.RecordReleaseRequest("v3")); // people deploy a fix
        endpoint.Healthy = true;
        var resolved = await Eventually.WaitAsync(async () => await server.Client.GetIncidentAsync(escalated.Id) is { Status: "resolved" } i ? i : null, TimeSpan.FromSeconds(20), "the incident to resolve on v3");

        resolved.Timeline[^1].Message.ShouldBe("web is healthy on v3: every policy has held clean since it was deployed; incident resolved");
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Fire_AfterTheAutomaticRollbackLimit_PagesInsteadOfRollingBack()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: false);
        await using var server = await ServerFixture.StartAsync(
            restart: "[\"true\"]",
            policies: AutoPolicy.Replace("severity: P0", "cooldown: 1ms", StringComparison.Ordinal),
            probeUrl: endpoint.Url,
            componentExtra: "auto-rollback-limit: { count: 1, window: 1h }");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var first = await Eventually.WaitAsync(async () => (await server.Client.GetRollbacksAsync()) is [var r, ..] ? r : null, TimeSpan.FromSeconds(20), "the automatic rollback");
        endpoint.Healthy = true;
        await Eventually.WaitAsync(async () => (await server.Client.GetRollbackAsync(first.Id)).Status == "succeeded", TimeSpan.FromSeconds(20), "the rollback to succeed");
        endpoint.Healthy = false;

        var second = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, _, ..] ? await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Kind == "escalation") ? full : null : null,
            TimeSpan.FromSeconds(20),
            "a second, escalated incident");

        second.Timeline.ShouldContain(e => e.Message == "automatic rollback limit reached: 1 automatic rollbacks of web in the last 1h; no more without a human");
        (await server.Client.GetRollbacksAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Fire_ShadowPolicy_RecordsWhatItWouldHaveDoneAndTouchesNothing()
    {
        // Healthy until the releases are recorded, however slow the machine; then v2 fails.
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var server = await ServerFixture.StartAsync(policies: AutoPolicy.Replace("mode: auto", "mode: auto, shadow: true", StringComparison.Ordinal), probeUrl: endpoint.Url);
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        endpoint.Healthy = false;

        var decision = await Eventually.WaitAsync(async () => (await server.Client.GetShadowDecisionsAsync("web")) is [var d, ..] ? d : null, TimeSpan.FromSeconds(20), "a shadow decision");

        decision.Policy.ShouldBe("down");
        decision.Release.ShouldBe("v2");
        decision.Action.ShouldBe("would have opened a P0 incident and rolled web back from v2 to v1");
        decision.Evidence.ShouldStartWith("probe health failing for");
        (await server.Client.GetIncidentsAsync()).ShouldBeEmpty();
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task Maintenance_SuppressesPoliciesUntilItEnds()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", policies: AutoPolicy.Replace("failing-for: 300ms", "failing-for: 1500ms", StringComparison.Ordinal)); // time to declare the window before the policy could fire
        var window = await server.Client.StartMaintenanceAsync("web", new Client.MaintenanceRequest("10m", "schema migration", "alice"));
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var start = DateTimeOffset.UtcNow;
        await Eventually.WaitAsync(async () => (await server.Client.GetComponentAsync("web")).Probes[0].At > start.AddSeconds(2), TimeSpan.FromSeconds(20), "2 s of failing samples");
        // The probe fails from the controller's start: on a busy machine the policy may fire before the (first, slow)
        // request declaring the window arrives. Inside the window nothing may be written.
        (await EvidenceAsync(server)).ShouldNotContain(e => e.At >= window.StartsAt);
        (await server.Client.GetComponentAsync("web")).MaintenanceUntil!.Value.ShouldBe(window.EndsAt, TimeSpan.FromMilliseconds(1));

        await server.Client.EndMaintenanceAsync("web");
        var ended = DateTimeOffset.UtcNow;
        await Eventually.WaitAsync(async () => (await EvidenceAsync(server)).Any(e => e.At >= ended), TimeSpan.FromSeconds(20), "the policy to act again");

        (await server.Client.GetIncidentsAsync())[0].Policy.ShouldBe("down");
        var again = await Should.ThrowAsync<Client.RewindApiException>(() => server.Client.EndMaintenanceAsync("web"));
        again.Status.ShouldBe(404);
    }

    private static async Task<List<Client.TimelineEventDto>> EvidenceAsync(ServerFixture server)
    {
        var evidence = new List<Client.TimelineEventDto>();
        foreach (var incident in await server.Client.GetIncidentsAsync())
        {
            evidence.AddRange((await server.Client.GetIncidentAsync(incident.Id)).Timeline.Where(e => e.Kind == "evidence"));
        }

        return evidence;
    }
}
