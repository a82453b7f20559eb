using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Releases;

/// <summary>The serving version read from a probe's answer: drift paged or recorded, traffic charged to the release that served it.</summary>
public sealed class VersionSourceTests
{
    private const string Health = "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P1, mode: auto } }";

    [Fact]
    public async Task Drift_Paged_NoPolicyActsTrafficCountsForTheServingVersionUntilItIsRecorded()
    {
        await using var service = await SwitchableEndpoint.StartAsync(healthy: true); // no version until the releases are recorded
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        await using var server = await ServerFixture.StartAsync(policies: Health, probeUrl: service.Url, scrapes: $"{{ app: {{ url: \"{metrics.Url}\", interval: 200ms, timeout: 200ms }} }}", componentExtra: "version-source: { probe: health }");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        service.Version = "v3"; // deployed by hand, never recorded

        // The incident is opened, then its evidence and escalation are appended: wait for the last of the three writes.
        var incident = await Eventually.WaitAsync(async () => (await server.Client.GetIncidentsAsync()).FirstOrDefault(i => i.Policy == "drift") is { } i
            && await server.Client.GetIncidentAsync(i.Id) is { } read && read.Timeline.Any(e => e.Kind == "escalation") ? read : null, TimeSpan.FromSeconds(60), "the drift incident and its escalation");
        var v2Before = (await server.Store.GetReleaseTrafficAsync("web", "v2"))?.Requests ?? 0; // what v2 served before v3 was seen
        await Eventually.WaitAsync(async () => (await server.Store.GetReleaseTrafficAsync("web", "v3")) is { Requests: >= 100 } t ? t : null, TimeSpan.FromSeconds(60), "traffic charged to v3");

        incident.Severity.ShouldBe("P3");
        incident.Timeline.ShouldContain(e => e.Message == "drift: web serves v3 (read from probe health field version) while v2 is recorded");
        incident.Timeline.ShouldContain(e => e.Kind == "escalation" && e.Message.Contains("until the serving release is recorded (`rewind release record web v3`)", StringComparison.Ordinal));
        ((await server.Store.GetReleaseTrafficAsync("web", "v2"))?.Requests ?? 0).ShouldBeLessThanOrEqualTo(v2Before + 50); // at most the one scrape in flight when v3 was seen

        service.Healthy = false; // v3 fails: not the recorded release's failure, so nothing is rolled back
        await Eventually.WaitAsync(async () => (await server.Client.GetComponentAsync("web")).Health == "failing" ? (object)true : null, TimeSpan.FromSeconds(60), "v3 failing");
        service.Healthy = true;
        var recorded = await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v3"));
        var resolved = await Eventually.WaitAsync(async () => await server.Client.GetIncidentAsync(incident.Id) is { Status: "resolved" } i ? i : null, TimeSpan.FromSeconds(60), "the drift to end");

        resolved.Timeline[^1].Message.ShouldBe("web serves v3, the recorded release: the drift is over; incident resolved");
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
        recorded.Version.ShouldBe("v3");
        (await server.Store.GetReleaseAsync("web", "v3"))!.FirstServedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task Drift_OnDriftRecord_RecordsTheServingVersionAsADeployThatEndsWhenItServesHealthy()
    {
        await using var service = await SwitchableEndpoint.StartAsync(healthy: true); // no version until the releases are recorded
        await using var server = await ServerFixture.StartAsync(policies: Health, probeUrl: service.Url, componentExtra: "version-source: { probe: health, on-drift: record }");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        service.Version = "v3"; // deployed by hand, never recorded

        var v3 = await Eventually.WaitAsync(async () => (await server.Client.GetReleasesAsync("web")).FirstOrDefault(r => r.Version == "v3" && r.State == "baking"), TimeSpan.FromSeconds(60), "v3 recorded and baking");

        v3.RecordedBy.ShouldBe("controller (seen serving via probe health field version)");
        (await server.Client.GetComponentAsync("web")).CurrentVersion.ShouldBe("v3");
        (await server.Client.GetIncidentsAsync()).ShouldNotContain(i => i.Policy == "drift"); // recorded, not paged (a probe late on a loaded host may open an incident of its own)
        (await server.Store.GetReleaseAsync("web", "v3"))!.FirstServedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task Drift_ABadReleaseServesAgain_PagesEvenWithOnDriftRecord()
    {
        await using var service = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var server = await ServerFixture.StartAsync(probeUrl: service.Url, componentExtra: "version-source: { probe: health, on-drift: record }");
        await server.Store.RecordReleaseAsync(new Core.Releases.Release("web", "v0", Core.Releases.ReleaseState.Bad, TimeProvider.System.GetUtcNow().AddHours(-1)));
        await server.Store.RecordReleaseAsync(new Core.Releases.Release("web", "v1", Core.Releases.ReleaseState.Stable, TimeProvider.System.GetUtcNow()));
        service.Version = "v0"; // a host came back on the build that was marked bad

        var incident = await Eventually.WaitAsync(async () => (await server.Client.GetIncidentsAsync()) is [{ Policy: "drift" } i] ? i : null, TimeSpan.FromSeconds(60), "the drift incident");

        incident.Severity.ShouldBe("P2");
        (await server.Client.GetReleasesAsync("web")).Single(r => r.Version == "v0").State.ShouldBe("bad");
    }
    [Fact]
    public async Task Restart_ErrorsServedBeforeTheVersionIsReadAgain_AreChargedToNoRelease()
    {
        const string regression = "{ regressed: { when: { regression: { scrape: app, baseline-rate: 0.005, factor: 10 } }, severity: P1, mode: auto } }";
        await using var service = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", policies: regression, probeUrl: service.Url, scrapes: $"{{ app: {{ url: \"{metrics.Url}\", interval: 200ms, timeout: 200ms }} }}", componentExtra: "version-source: { probe: health }");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        service.Version = "v2";
        await Eventually.WaitAsync(async () => (await server.Store.GetReleaseTrafficAsync("web", "v2")) is { Requests: >= 100 } t ? t : null, TimeSpan.FromSeconds(60), "v2 serving");

        // The process restarts (a deploy nobody recorded yet) and its first requests fail while its probe names no version.
        (service.Healthy, service.Version) = (false, null);
        var v2Before = (await server.Store.GetReleaseTrafficAsync("web", "v2"))!.Requests;
        var scrapes = metrics.Scrapes;
        (metrics.ErrorsPerScrape, metrics.RequestsPerScrape) = (20, 50); // 40 %: eighty times the baseline
        metrics.Restart();
        await Eventually.WaitAsync(() => Task.FromResult(metrics.Scrapes >= scrapes + 10 ? (object)true : null), TimeSpan.FromSeconds(60), "ten scrapes of the restarted process");

        ((await server.Store.GetReleaseTrafficAsync("web", "v2"))!.Requests).ShouldBeLessThanOrEqualTo(v2Before + 50); // at most the scrape in flight
        (await server.Client.GetIncidentsAsync()).ShouldNotContain(i => i.Policy == "regressed" || i.Status != "resolved"); // a scrape late on a loaded host is inconclusive, never a regression
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();

        // Once the source reads the version again, the traffic is charged to the release that serves it.
        (service.Healthy, service.Version) = (true, "v3");
        metrics.ErrorsPerScrape = 0;
        await Eventually.WaitAsync(async () => (await server.Store.GetReleaseTrafficAsync("web", "v3")) is { Requests: >= 100 } t ? t : null, TimeSpan.FromSeconds(60), "traffic charged to v3");
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
    }
}
