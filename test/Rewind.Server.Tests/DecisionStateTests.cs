using Rewind.Client;
using Rewind.Core.Releases;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>States the decision engine used to get stuck in or get wrong, each on a real controller.</summary>
public sealed class DecisionStateTests
{
    private const string AutoPolicy = "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P0, mode: auto } }";

    [Fact]
    public async Task Cooldown_PolicyStillHoldsWhenItEnds_RollsBackThen()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: false);
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", policies: AutoPolicy.Replace("severity: P0", "cooldown: 4s", StringComparison.Ordinal), probeUrl: endpoint.Url);
        Directory.CreateDirectory(Path.Combine(server.AppRoot, "releases", "v0"));
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v0"));
        await server.Store.SetReleaseStateAsync("web", "v0", ReleaseState.Stable, DateTimeOffset.UtcNow.AddMinutes(-2));
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var first = await Eventually.WaitAsync(async () => (await server.Client.GetRollbacksAsync()) is [var r, ..] ? r : null, TimeSpan.FromSeconds(20), "the first automatic rollback");
        endpoint.Healthy = true;
        await Eventually.WaitAsync(async () => (await server.Client.GetRollbackAsync(first.Id)).Status == "succeeded", TimeSpan.FromSeconds(20), "the first rollback to succeed");
        endpoint.Healthy = false; // v1 fails too, inside the cooldown: deferred, not dropped

        var deferred = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, _, ..] && (await server.Client.GetIncidentAsync(i.Id)).Timeline.Any(e => e.Message.StartsWith("automatic rollback deferred", StringComparison.Ordinal)) ? i : null,
            TimeSpan.FromSeconds(20),
            "the deferral");
        var second = await Eventually.WaitAsync(async () => (await server.Client.GetRollbacksAsync()) is [var r, _] ? r : null, TimeSpan.FromSeconds(30), "the rollback after the cooldown");

        second.FromVersion.ShouldBe("v1");
        second.ToVersion.ShouldBe("v0");
        second.RequestedAt.ShouldBeGreaterThanOrEqualTo(first.RequestedAt.AddSeconds(4));
        (await server.Client.GetIncidentAsync(deferred.Id)).Rollbacks.ShouldContain(second.Id);
    }

    [Fact]
    public async Task Severity_P1PolicyFiresIntoOpenP3Incident_RaisesItToP1()
    {
        var policies = "{ slow: { when: { probe: health, failing-for: 200ms, min-failures: 1 }, severity: P3, mode: notify }, down: { when: { probe: health, failing-for: 1500ms, min-failures: 3 }, severity: P1, mode: notify } }";
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var server = await ServerFixture.StartAsync(policies: policies, probeUrl: endpoint.Url);
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
        endpoint.Healthy = false;

        var raised = await Eventually.WaitAsync(async () => (await server.Client.GetIncidentsAsync()) is [{ Severity: "P1" } i] ? await server.Client.GetIncidentAsync(i.Id) : null, TimeSpan.FromSeconds(20), "the incident raised to P1");

        raised.Timeline.ShouldContain(e => e.Kind == "escalation" && e.Message == "severity raised from P3 to P1: policy down (P1) fired into this incident");
        raised.Policy.ShouldBe("slow");
    }

    [Fact]
    public async Task FailedRollback_TheReleaseItLeft_IsBadNoTargetAndRefusedByCheck()
    {
        // The target never answers healthy: the rollback fails at wait-healthy, after its switch.
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]");
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await server.Store.SetReleaseStateAsync("web", "v1", ReleaseState.Stable, DateTimeOffset.UtcNow.AddMinutes(-2));
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
        await server.Store.SetReleaseStateAsync("web", "v2", ReleaseState.Stable, DateTimeOffset.UtcNow.AddMinutes(-1)); // v2 had earned known good, then went bad late
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v3"));
        await server.Store.SetReleaseStateAsync("web", "v3", ReleaseState.Stable, DateTimeOffset.UtcNow);

        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "v3 hurts users"));
        await Eventually.WaitAsync(async () => (await server.Client.GetRollbackAsync(rollback.Id)).Status == "failed", TimeSpan.FromSeconds(20), "the rollback to fail");

        rollback.ToVersion.ShouldBe("v2");
        (await server.Client.GetReleasesAsync("web")).Single(r => r.Version == "v3").State.ShouldBe("bad");
        var check = await server.Client.CheckReleaseAsync("web", "v3");
        check.Allowed.ShouldBeFalse();
        var next = await server.Client.DryRunRollbackAsync(new RollbackRequest("web", "again"));
        next.FromVersion.ShouldBe("v2"); // the switch happened before the wait failed
        next.ToVersion.ShouldBe("v1"); // never back to v3
    }

    [Fact]
    public async Task Record_WhileRollbackRuns_Is409AndChangesNothing()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[sleep, \"5\"]");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "v2 hurts users"));

        var error = await Should.ThrowAsync<RewindApiException>(() => server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v3")));

        error.Status.ShouldBe(409);
        error.Message.ShouldContain($"rollback {rollback.Id} is acting on web");
        error.Message.ShouldContain("v3 was not recorded");
        (await server.Client.GetReleasesAsync("web")).ShouldNotContain(r => r.Version == "v3");
        await server.Client.AbortRollbackAsync(rollback.Id, "test over");
    }
}
