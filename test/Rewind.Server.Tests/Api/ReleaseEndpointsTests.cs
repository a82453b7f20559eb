using Rewind.Client;
using Rewind.Core.Access;
using Rewind.TestUtils;

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
    public async Task Check_BadRelease_IsRefusedNamingTheIncident()
    {
        await using var server = await ServerFixture.StartAsync();
        await RollbackEndpointsTests.StableV1ThenV2Async(server);
        var incident = await server.Store.OpenIncidentAsync("web", Core.Incidents.Severity.P1, "checkout errors", null, "v2", TimeProvider.System.GetUtcNow(), "alice");
        await server.Client.MarkBadAsync("web", "v2", new MarkBadRequest("checkout errors"));

        var check = await server.Client.CheckReleaseAsync("web", "v2");

        check.ShouldBe(new ReleaseCheckDto("web", "v2", false, "bad", incident.Id, $"v2 of web was marked bad in incident {incident.Id}; deploying it again would bring the fault back. Fix forward with a new version."));
    }

    [Fact]
    public async Task Check_RolledBackRelease_IsRefusedNamingTheRollbackAndIncident()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", probeUrl: endpoint.Url);
        await RollbackEndpointsTests.StableV1ThenV2Async(server);
        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        var finished = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(rollback.Id) is { Status: "succeeded" or "failed" } r ? r : null, TimeSpan.FromSeconds(60), "the rollback to finish");
        finished.Status.ShouldBe("succeeded");

        var check = await server.Client.CheckReleaseAsync("web", "v2");

        check.Allowed.ShouldBeFalse();
        check.State.ShouldBe("rolled-back");
        check.Incident.ShouldBe(finished.IncidentId);
        check.Reason.ShouldStartWith($"v2 of web was rolled back by {rollback.Id} at ");
        check.Reason.ShouldEndWith($" in incident {finished.IncidentId}; deploying it again would bring the fault back. Fix forward with a new version.");
    }

    [Fact]
    public async Task Check_StableRelease_IsAllowed()
    {
        await using var server = await ServerFixture.StartAsync();
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var check = await server.Client.CheckReleaseAsync("web", "v1");

        check.ShouldBe(new ReleaseCheckDto("web", "v1", true, "stable", null, "stable: it ran healthy for its bake time"));
    }

    [Fact]
    public async Task Check_UnknownVersion_IsAllowedAsANewRelease()
    {
        await using var server = await ServerFixture.StartAsync();

        var check = await server.Client.CheckReleaseAsync("web", "v3");

        check.ShouldBe(new ReleaseCheckDto("web", "v3", true, null, null, "not recorded yet: a new release"));
    }

    [Fact]
    public async Task Check_UnknownComponent_Is404ProblemDetails()
    {
        await using var server = await ServerFixture.StartAsync();

        using var response = await server.Http.GetAsync(new Uri("api/v1/components/nope/releases/v1/check", UriKind.Relative));

        ((int)response.StatusCode).ShouldBe(404);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain("component nope is not in the config");
    }

    [Fact]
    public async Task Check_AsViewer_IsAllowed()
    {
        await using var server = await ServerFixture.StartAsync();
        await server.Client.CreateUserAsync(new CreateUserRequest("vera", [Roles.Viewer]));
        using var http = server.HttpAs((await server.Client.CreateTokenAsync("vera", new CreateTokenRequest())).Token);

        var check = await new RewindClient(http).CheckReleaseAsync("web", "v3");

        check.Allowed.ShouldBeTrue();
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
