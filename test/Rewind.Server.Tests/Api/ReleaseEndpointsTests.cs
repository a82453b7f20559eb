using Rewind.Client;

namespace Rewind.Server.Tests.Api;

public sealed class ReleaseEndpointsTests
{
    [Fact]
    public async Task Record_ThenList_ShowsStatesAndLastKnownGood()
    {
        await using var server = await ServerFixture.StartAsync();
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var releases = await server.Client.GetReleasesAsync("web");
        var component = await server.Client.GetComponentAsync("web");

        releases.Select(r => (r.Version, r.State, r.LastKnownGood)).ShouldBe([("v2", "baking", false), ("v1", "stable", true)]);
        component.CurrentVersion.ShouldBe("v2");
        component.LastKnownGood.ShouldBe("v1");
    }

    [Fact]
    public async Task MarkBad_ThenRecordAgain_IsRefusedAndNeverATarget()
    {
        await using var server = await ServerFixture.StartAsync();
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        (await server.Client.MarkBadAsync("web", "v1", new MarkBadRequest("corrupts carts"))).State.ShouldBe("bad");
        var again = await Should.ThrowAsync<RewindApiException>(() => server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1")));
        var rollback = await Should.ThrowAsync<RewindApiException>(() => server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test", ToVersion: "v1")));

        again.Status.ShouldBe(409);
        again.Detail!.ShouldContain("release v1 of web is bad");
        rollback.Detail!.ShouldContain("not known good");
    }

    [Fact]
    public async Task Record_DeployingThenDeployed_MovesToBaking()
    {
        await using var server = await ServerFixture.StartAsync();

        var deploying = await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2", Deploying: true));
        var deployed = await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));

        deploying.State.ShouldBe("deploying");
        deployed.State.ShouldBe("baking");
        deployed.RecordedAt.ShouldBeGreaterThanOrEqualTo(deploying.RecordedAt);
    }

    [Fact]
    public async Task Record_StableReleaseAgain_StaysKnownGood()
    {
        await using var server = await ServerFixture.StartAsync();
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var redeployed = await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));

        redeployed.State.ShouldBe("stable");
        (await server.Client.GetComponentAsync("web")).CurrentVersion.ShouldBe("v1");
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("v1;rm -rf /")]
    [InlineData("")]
    public async Task Record_UnsafeVersion_Is400(string version)
    {
        await using var server = await ServerFixture.StartAsync();

        var error = await Should.ThrowAsync<RewindApiException>(() => server.Client.RecordReleaseAsync("web", new RecordReleaseRequest(version)));

        error.Status.ShouldBe(400);
    }

    [Fact]
    public async Task Health_ReportsTheStore()
    {
        await using var server = await ServerFixture.StartAsync();

        var health = await server.Client.GetHealthAsync();

        health.Status.ShouldBe("ok");
        health.Store.ShouldBe("sqlite");
        health.Components.ShouldBe(1);
    }
}
