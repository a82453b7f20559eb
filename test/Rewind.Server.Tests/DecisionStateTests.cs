using Rewind.Client;
using Rewind.Core.Releases;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>States a rollback used to get stuck in or get wrong, each on a real controller with real steps.</summary>
public sealed class DecisionStateTests
{
    private const string AutoPolicy = "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P0, mode: auto } }";

    [Fact]
    public async Task FailedRollback_TheReleaseItLeft_IsBadNoTargetAndRefusedByCheck()
    {
        // The target never answers healthy: the rollback fails at wait-healthy, after its switch.
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]");
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await server.Store.SetReleaseStateAsync("web", "v1", ReleaseState.Stable, TimeProvider.System.GetUtcNow().AddMinutes(-2));
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
        await server.Store.SetReleaseStateAsync("web", "v2", ReleaseState.Stable, TimeProvider.System.GetUtcNow().AddMinutes(-1)); // v2 had earned known good, then went bad late
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v3"));
        await server.Store.SetReleaseStateAsync("web", "v3", ReleaseState.Stable, TimeProvider.System.GetUtcNow());

        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "v3 hurts users"));
        await Eventually.WaitAsync(async () => (await server.Client.GetRollbackAsync(rollback.Id)).Status == "failed", TimeSpan.FromSeconds(60), "the rollback to fail");

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
