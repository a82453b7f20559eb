using Rewind.Client;
using Rewind.Server.Tests.Api;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>Post-rollback validation on a real controller: smoke checks, then the component's policies must hold.</summary>
public sealed class VerifyTests
{
    private const string NotifyPolicy = "{ down: { when: { probe: health, failing-for: 400ms, recover-after: 2 }, mode: notify, severity: P2 } }";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Verify_HealthyAfterTheRollback_SmokePassesAndPoliciesHold()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var server = await ServerFixture.StartAsync(
            restart: "[\"true\"]",
            probeUrl: endpoint.Url,
            policies: NotifyPolicy,
            componentExtra: $$"""verify: { smoke: [ { http: { method: GET, url: "{{endpoint.Url}}", expect-status: [200] } }, { command: { argv: ["true"] } } ], hold-for: 1s, timeout: 5s }""");
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var plan = await server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test"));
        var done = await RunAsync(server);

        plan.Steps.Select(s => s.Kind).ShouldBe(["switch", "restart", "wait-healthy", "http", "command", "policies-hold"]);
        plan.Steps[3].Description.ShouldStartWith($"smoke: GET {endpoint.Url} expect 200");
        plan.Steps[^1].Description.ShouldBe("verify: every policy of web clean (recovering within 5s), then clean for 1s");
        done.Status.ShouldBe("succeeded", done.Error);
        done.Steps[^1].Output.ShouldBe("every policy of web (down) clean for 1s");
    }

    [Fact]
    public async Task Verify_PolicyStillFiringAfterTheRollback_FailsTheRollbackAndTheIncidentStaysOpen()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: false);
        await using var server = await ServerFixture.StartAsync(
            restart: "[\"true\"]",
            probeUrl: endpoint.Url,
            policies: NotifyPolicy,
            componentExtra: "verify: { hold-for: 30s, timeout: 10s }\n    healthy-successes: 1");
        await RollbackEndpointsTests.StableV1ThenV2Async(server);
        await Eventually.WaitAsync(async () => (await server.Client.GetIncidentsAsync()).Count > 0, Deadline, "the policy to fire");
        var incident = (await server.Client.GetIncidentsAsync())[0];

        // Healthy just long enough for the switch and wait-healthy, then failing again: the fault is not in the release.
        // The hold is long (it ends at once when the policy fires again, or 10 s after it started when it never cleared),
        // so a slow machine cannot let it pass before the endpoint fails again. The rollback is asked for first: healthy
        // samples before it exists would rightly end the notify policy's incident (every policy recovered).
        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "test"));
        endpoint.Healthy = true;
        await Eventually.WaitAsync(async () => (await server.Client.GetRollbackAsync(requested.Id)).Steps[^1].Status == "running", Deadline, "the hold to start");
        endpoint.Healthy = false;
        var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "succeeded" or "failed" } r ? r : null, Deadline, "the rollback to finish");

        done.Status.ShouldBe("failed");
        done.Steps[^1].Output!.ShouldContain("the rollback did not fix what hurts users");
        (await server.Client.GetIncidentAsync(incident.Id)).Status.ShouldNotBe("resolved");
    }

    private static async Task<RollbackDto> RunAsync(ServerFixture server)
    {
        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "test"));
        return await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "succeeded" or "failed" } r ? r : null, Deadline, "the rollback to finish");
    }
}
