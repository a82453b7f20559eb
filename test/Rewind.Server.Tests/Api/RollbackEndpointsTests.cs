using System.Net;
using System.Net.Http.Json;
using System.Text;
using Rewind.Client;
using Rewind.Core.Releases;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Api;

public sealed class RollbackEndpointsTests
{
    /// <summary>web's plan: its database restored through a provider's CLI to just before the release being left, then the switch.</summary>
    private const string RestoringPlan = """plan: [ { command: { argv: [/usr/bin/restore-db, --time, "{{from.recorded-at}}"] } }, { switch: {} } ]""";

    [Fact]
    public async Task Post_NoKnownGoodRelease_Is409AndTouchesNothing()
    {
        await using var server = await ServerFixture.StartAsync();
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));

        var error = await Should.ThrowAsync<RewindApiException>(() => server.Client.RequestRollbackAsync(new RollbackRequest("web", "test")));

        error.Status.ShouldBe(409);
        error.Detail!.ShouldContain("no known-good release");
        error.Detail!.ShouldContain("nothing was touched");
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Post_DryRun_ShowsExactStepsAndChangesNothing()
    {
        await using var server = await ServerFixture.StartAsync();
        await StableV1ThenV2Async(server);

        var plan = await server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test"));

        plan.FromVersion.ShouldBe("v2");
        plan.ToVersion.ShouldBe("v1");
        plan.Steps.Select(s => s.Description).ShouldBe(
        [
            $"switch {server.AppRoot}/current -> releases/v1 (was releases/v2; atomic rename)",
            $"restart argv [\"sleep\", \"2\"] in {server.AppRoot} (timeout 1m)",
            "wait-healthy probes [health: GET http://127.0.0.1:9/health expect 200]: 3 consecutive passes within 5s",
        ]);
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
        (await server.Client.GetIncidentsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Post_DryRun_PlanRestoringToFromRecordedAt_ShowsWhenTheReleaseStartedDeploying()
    {
        await using var server = await ServerFixture.StartAsync(componentExtra: RestoringPlan);
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        (await server.Store.SetReleaseStateAsync("web", "v1", ReleaseState.Stable, TimeProvider.System.GetUtcNow())).ShouldBeTrue();
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2", Deploying: true));
        var started = (await server.Store.GetReleaseAsync("web", "v2"))!.DeployStartedAt!.Value;
        await Eventually.WaitAsync(() => Task.FromResult(TimeProvider.System.GetUtcNow() > started.AddMilliseconds(20)), TimeSpan.FromSeconds(5), "the clock to move past the deploy's start");
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));

        var plan = await server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test"));

        plan.Steps[0].Description.ShouldStartWith($"argv [\"/usr/bin/restore-db\", \"--time\", \"{started.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\"]");
        (await server.Store.GetReleaseAsync("web", "v2"))!.RecordedAt.ShouldBeGreaterThan(started, "recorded again as deployed later; the start stays");
    }

    [Fact]
    public async Task Post_DryRun_PlanNeedsADeployStartNotKnown_Is409SayingWhich()
    {
        await using var server = await ServerFixture.StartAsync(componentExtra: RestoringPlan);
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        (await server.Store.SetReleaseStateAsync("web", "v1", ReleaseState.Stable, TimeProvider.System.GetUtcNow())).ShouldBeTrue();
        await server.Store.RecordReleaseAsync(new Release("web", "v2", ReleaseState.Baking, TimeProvider.System.GetUtcNow(), RecordedBy: "controller (seen serving)"));

        var error = await Should.ThrowAsync<RewindApiException>(() => server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test")));

        error.Status.ShouldBe(409);
        error.Detail!.ShouldStartWith("the plan of web needs a time that is not known: {{from.recorded-at}} (when the release being left started deploying): v2 has no recorded deploy start");
    }

    [Fact]
    public async Task Post_WhileOneIsRunning_Is409NamingTheActiveRollback()
    {
        await using var server = await ServerFixture.StartAsync();
        await StableV1ThenV2Async(server);

        var first = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "first"));
        var error = await Should.ThrowAsync<RewindApiException>(() => server.Client.RequestRollbackAsync(new RollbackRequest("web", "second", ToVersion: "v1")));

        first.Id.ShouldMatch(@"^RB-\d{4}-\d{2}-\d{2}-0001$");
        error.Status.ShouldBe(409);
        error.Message.ShouldContain($"rollback {first.Id} is already acting on web");
        (await server.Client.GetRollbacksAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Post_Manual_RunsSwitchRestartAndFailsOnUnhealthyTargetWithRecord()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]");
        await StableV1ThenV2Async(server);

        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "manual test", RequestedBy: "alice"));
        var finished = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(rollback.Id) is { Status: "succeeded" or "failed" } r ? r : null, TimeSpan.FromSeconds(60), "the rollback to finish");

        finished.Status.ShouldBe("failed"); // the probe's port is closed: v1 never answers healthy
        finished.Steps.Select(s => s.Status).ShouldBe(["succeeded", "succeeded", "failed"]);
        finished.Error!.ShouldContain("step 3 (wait-healthy) failed");
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        // The escalation is written just after the rollback is recorded as failed.
        var incident = await Eventually.WaitAsync(
            async () => await server.Client.GetIncidentAsync(finished.IncidentId!) is var i && i.Timeline.Any(e => e.Kind == "escalation" && e.Message.Contains("paging a human", StringComparison.Ordinal)) ? i : null,
            TimeSpan.FromSeconds(10),
            "the escalation");
        incident.Title.ShouldContain("manual rollback requested by alice");
    }

    [Fact]
    public async Task Post_MalformedJson_Is400ProblemDetails()
    {
        await using var server = await ServerFixture.StartAsync();

        using var body = new StringContent("{\"component\": ", Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri("api/v1/rollbacks", UriKind.Relative), body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("web", "", 400)]
    [InlineData("nope", "reason", 404)]
    public async Task Post_InvalidRequest_IsProblemDetails(string component, string reason, int status)
    {
        await using var server = await ServerFixture.StartAsync();

        using var response = await server.Http.PostAsJsonAsync(new Uri("api/v1/rollbacks", UriKind.Relative), new RollbackRequest(component, reason), RewindJson.Options);

        ((int)response.StatusCode).ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    internal static async Task StableV1ThenV2Async(ServerFixture server)
    {
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        (await server.Store.SetReleaseStateAsync("web", "v1", ReleaseState.Stable, TimeProvider.System.GetUtcNow())).ShouldBeTrue();
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
    }
}
