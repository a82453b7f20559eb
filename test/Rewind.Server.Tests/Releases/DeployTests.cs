using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Releases;

/// <summary>A deploy is a state: from <c>release record --deploying</c> until the new release serves healthy or the deploy grace ends.</summary>
public sealed class DeployTests
{
    private const string AutoPolicy = "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P1, mode: auto } }";

    [Fact]
    public async Task Deploying_RestartGap_OpensNoIncidentAndRollsNothingBack()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", policies: AutoPolicy, probeUrl: endpoint.Url);
        await server.Store.RecordReleaseAsync(new Core.Releases.Release("web", "v1", Core.Releases.ReleaseState.Stable, TimeProvider.System.GetUtcNow(), RecordedBy: "test"));
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2", Deploying: true));

        endpoint.Healthy = false; // the pipeline restarts the service: a gap far longer than failing-for
        var gapStart = TimeProvider.System.GetUtcNow();
        await Eventually.WaitAsync(async () => (await server.Client.GetComponentAsync("web")).Probes[0] is { Health: "failing", At: { } at } && at > gapStart.AddSeconds(1) ? (object)at : null, TimeSpan.FromSeconds(60), "a second of failed samples");
        endpoint.Healthy = true;
        await Eventually.WaitAsync(async () => (await server.Client.GetComponentAsync("web")).Health == "healthy" ? (object)true : null, TimeSpan.FromSeconds(60), "v2 to serve healthy");
        var baking = await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2")); // the pipeline's last step

        baking.State.ShouldBe("baking");
        (await server.Client.GetIncidentsAsync()).ShouldBeEmpty();
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task Deploying_StillDownWhenTheGraceEnds_RollsBackThen()
    {
        // The service answers until the deploy starts, then stops answering: however slowly a busy machine starts the
        // controller, nothing fails before v2 is deploying.
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", policies: AutoPolicy.Replace("failing-for: 300ms", "failing-for: 1500ms", StringComparison.Ordinal), probeUrl: endpoint.Url, componentExtra: "deploy-grace: 3s");
        await server.Store.RecordReleaseAsync(new Core.Releases.Release("web", "v1", Core.Releases.ReleaseState.Stable, TimeProvider.System.GetUtcNow(), null, null, "test") { StableAt = TimeProvider.System.GetUtcNow() });
        var deploying = await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2", Deploying: true));
        endpoint.Healthy = false;

        var rollback = await Eventually.WaitAsync(async () => (await server.Client.GetRollbacksAsync()) is [var r] ? r : null, TimeSpan.FromSeconds(60), "the rollback after the grace");

        rollback.FromVersion.ShouldBe("v2");
        rollback.ToVersion.ShouldBe("v1");
        rollback.RequestedAt.ShouldBeGreaterThanOrEqualTo(deploying.RecordedAt.AddSeconds(3));
        var incident = await server.Client.GetIncidentAsync((await server.Client.GetIncidentsAsync()).ShouldHaveSingleItem().Id);
        incident.OpenedAt.ShouldBeGreaterThanOrEqualTo(deploying.RecordedAt.AddSeconds(3)); // nobody was paged inside the grace
        incident.Timeline.ShouldContain(e => e.Message.Contains("after the deploy grace of v2 ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploying_RecordedDoneBeforeTheNewProcessAnswers_StillShieldedUntilItServes()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", policies: AutoPolicy, probeUrl: endpoint.Url);
        await server.Store.RecordReleaseAsync(new Core.Releases.Release("web", "v1", Core.Releases.ReleaseState.Stable, TimeProvider.System.GetUtcNow(), RecordedBy: "test"));
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2", Deploying: true));
        endpoint.Healthy = false; // the restart
        var done = await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2")); // the pipeline says done: the process does not answer yet

        await Eventually.WaitAsync(async () => (await server.Client.GetComponentAsync("web")).Probes[0] is { Health: "failing", At: { } at } && at > done.RecordedAt.AddSeconds(1) ? (object)at : null, TimeSpan.FromSeconds(60), "a second of failures after the record");
        endpoint.Healthy = true;
        await Eventually.WaitAsync(async () => (await server.Client.GetComponentAsync("web")).Health == "healthy" ? (object)true : null, TimeSpan.FromSeconds(60), "v2 to answer");

        (await server.Client.GetIncidentsAsync()).ShouldBeEmpty();
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Deploying_NewProcessFailsRequestsWhileStarting_ChargedToNoReleaseAndNothingRolledBack()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        await using var server = await DeployingV3Async(endpoint, metrics, restarting: true);

        // The new process answers, but its health says it is still starting, and 40 % of what it counts fails (its
        // health check's own 503s, requests it cannot serve yet): the restart's, not the release's. The pipeline has
        // already recorded the deploy done.
        (metrics.ErrorsPerScrape, metrics.RequestsPerScrape) = (20, 50);
        metrics.Restart();
        var done = await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v3"));
        var scrapes = metrics.Scrapes;
        await Eventually.WaitAsync(() => Task.FromResult(metrics.Scrapes >= scrapes + 10 ? (object)true : null), TimeSpan.FromSeconds(60), "ten scrapes while v3 starts");

        ((await server.Store.GetReleaseTrafficAsync("web", "v3"))?.Requests ?? 0).ShouldBe(0);
        (await server.Client.GetIncidentsAsync()).ShouldBeEmpty();
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();

        // Ready: from its first healthy answer its traffic is its own, and a clean one rolls nothing back.
        metrics.ErrorsPerScrape = 0;
        endpoint.Healthy = true;
        await Eventually.WaitAsync(async () => (await server.Store.GetReleaseTrafficAsync("web", "v3")) is { Requests: >= 100 } t ? t : null, TimeSpan.FromSeconds(60), "traffic charged to v3");
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
        done.State.ShouldBe("baking");
    }

    [Fact]
    public async Task Deploying_ScrapeStraddlesTheMomentTheNewProcessBecameReady_ItsStartingErrorsAreNotCharged()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        await using var server = await DeployingV3Async(endpoint, metrics, restarting: true);
        metrics.Restart();
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v3"));
        var scrapes = metrics.Scrapes;
        await Eventually.WaitAsync(() => Task.FromResult(metrics.Scrapes >= scrapes + 2 ? (object)true : null), TimeSpan.FromSeconds(60), "v3 scraped while starting");

        // The errors of its start are counted, but no scrape reads them before the process is seen ready: the next scrape
        // that succeeds spans the moment it became ready.
        metrics.Unavailable = true;
        metrics.Count(ok: 30, errors: 20);
        endpoint.Healthy = true;
        var healthyAt = await Eventually.WaitAsync(async () => (await server.Client.GetComponentAsync("web")) is { Health: "healthy", Probes: [{ At: { } at }] } ? (object)at : null, TimeSpan.FromSeconds(60), "v3 seen healthy");
        await Eventually.WaitAsync(async () => (await server.Client.GetComponentAsync("web")).Probes[0].At > ((DateTimeOffset)healthyAt).AddMilliseconds(300) ? (object)true : null, TimeSpan.FromSeconds(60), "two more samples: the deploy is over");
        metrics.Unavailable = false;
        await Eventually.WaitAsync(async () => (await server.Store.GetReleaseTrafficAsync("web", "v3")) is { Requests: >= 100 } t ? t : null, TimeSpan.FromSeconds(60), "traffic charged to v3");

        (await server.Store.GetReleaseTrafficAsync("web", "v3"))!.Bad.ShouldBe(0);
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Deploying_NewProcessStillFailingPastItsWarmUp_IsJudgedOnItsTrafficBeforeTheGraceEnds()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        await using var server = await DeployingV3Async(endpoint, metrics, restarting: true, "deploy-grace: 5m\n    warm-up: 1s");

        // v3 is broken, not warming up: its health never passes and 40 % of its requests fail.
        (metrics.ErrorsPerScrape, metrics.RequestsPerScrape) = (20, 50);
        metrics.Restart();
        var done = await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v3"));

        var rollback = await Eventually.WaitAsync(async () => (await server.Client.GetRollbacksAsync()) is [var r] ? r : null, TimeSpan.FromSeconds(60), "the rollback of v3");
        rollback.FromVersion.ShouldBe("v3");
        rollback.RequestedBy.ShouldBe("policy:regressed"); // its traffic, not the probe held by the 5-minute grace
        rollback.RequestedAt.ShouldBeGreaterThan(done.RecordedAt.AddMilliseconds(500)); // not within the warm-up (1 s from its first request counted after the record, at most one 200 ms scrape before it)
    }

    [Fact]
    public async Task Deploying_NewProcessFailsRequestsOnceReady_IsRolledBack()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        await using var server = await DeployingV3Async(endpoint, metrics);
        metrics.Restart();
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v3"));
        await Eventually.WaitAsync(async () => (await server.Store.GetReleaseTrafficAsync("web", "v3")) is { Requests: > 0 } t ? t : null, TimeSpan.FromSeconds(60), "v3 serving healthy");

        metrics.ErrorsPerScrape = 20; // the release itself fails once ready: its test judges it

        var rollback = await Eventually.WaitAsync(async () => (await server.Client.GetRollbacksAsync()) is [var r] ? r : null, TimeSpan.FromSeconds(60), "the rollback of v3");
        rollback.FromVersion.ShouldBe("v3");
        rollback.ToVersion.ShouldBe("v1");
    }

    /// <summary>
    /// A controller with a regression policy on the metrics endpoint, v1 stable, v2 recorded and v3 being deployed. When
    /// <paramref name="restarting"/>, the health check fails from before the deploy is recorded (the restart has begun), so
    /// no healthy answer of the old process, however late a loaded machine runs the test, is taken for v3 being ready.
    /// </summary>
    private static async Task<ServerFixture> DeployingV3Async(SwitchableEndpoint endpoint, MetricsEndpoint metrics, bool restarting = false, string componentExtra = "")
    {
        const string regression = "{ regressed: { when: { regression: { scrape: app, baseline-rate: 0.005, factor: 10 } }, severity: P1, mode: auto } }";
        var server = await ServerFixture.StartAsync(restart: "[\"true\"]", policies: regression, probeUrl: endpoint.Url, scrapes: $"{{ app: {{ url: \"{metrics.Url}\", interval: 200ms, timeout: 200ms }} }}", componentExtra: componentExtra);
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        endpoint.Healthy = !restarting;
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v3", Deploying: true));
        return server;
    }

    [Fact]
    public async Task Rollback_WhileDeploying_IsRefusedNamingTheDeploy()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]");
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await server.Store.SetReleaseStateAsync("web", "v1", Core.Releases.ReleaseState.Stable, TimeProvider.System.GetUtcNow());
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2", Deploying: true));

        var error = await Should.ThrowAsync<RewindApiException>(() => server.Client.RequestRollbackAsync(new RollbackRequest("web", "looks bad")));

        error.Status.ShouldBe(409);
        error.Message.ShouldContain("a deploy of v2 is in progress on web");
        error.Message.ShouldContain("rewind release record web v2");
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
    }
}
