using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Releases;

/// <summary>Known good is earned by evidence: a baking release becomes stable only when its traffic rules out the regression its policies look for.</summary>
public sealed class PromotionTests
{
    private const string Policy = "{ regressed: { when: { regression: { scrape: app, baseline-rate: 0.005, factor: 10 } }, severity: P1, mode: notify } }";

    private static string Scrapes(string url) => $"{{ app: {{ url: \"{url}\", interval: 200ms, timeout: 200ms }} }}";

    [Fact]
    public async Task Bake_TooLittleTraffic_StaysBakingWithNOfM_UntilPromotedByHandWithAReason()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        metrics.RequestsPerScrape = 1; // a quiet service: 5 requests/s
        await using var server = await ServerFixture.StartAsync(policies: Policy, scrapes: Scrapes(metrics.Url), probeUrl: endpoint.Url, componentExtra: "bake-time: 1s");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var baking = await Eventually.WaitAsync(async () => await server.Client.GetComponentAsync("web") is { Evidence: { } e } c && e.Contains(" of about ", StringComparison.Ordinal) && metrics.Scrapes >= 15 ? c : null, TimeSpan.FromSeconds(60), "evidence counted past the bake time");

        baking.CurrentState.ShouldBe("baking");
        baking.Evidence!.ShouldMatch(@"^\d+ of about 1[23]\d requests: policy regressed: \d+ of about 1[23]\d requests needed to rule out a 10× regression \(miss rate β = 0\.01\); 0 bad so far \(0 %\) against a baseline of 0\.5 %$");
        var refused = await Should.ThrowAsync<RewindApiException>(() => server.Client.PromoteAsync("web", "v2", new PromoteRequest(" ")));
        refused.Status.ShouldBe(400);

        var promoted = await server.Client.PromoteAsync("web", "v2", new PromoteRequest("quiet internal tool; checked by hand"));

        promoted.State.ShouldBe("stable");
        (await server.Client.GetComponentAsync("web")).Evidence.ShouldBeNull();
        var audit = await server.Client.GetAuditAsync();
        audit.ShouldContain(a => a.Detail.Contains("promoted by hand: quiet internal tool; checked by hand", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bake_WithALatencyQuantile_WaitsUntilTheShiftIsRuledOutToo()
    {
        const string latency = "{ regressed: { when: { regression: { scrape: app, baseline-rate: 0.005, factor: 10, latency-quantile: 0.95, min-baseline-requests: 1000 } }, severity: P1, mode: notify } }";
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        (metrics.RequestsPerScrape, metrics.SlowPerScrape) = (1, 0); // a quiet service, every request under 100 ms
        await using var server = await ServerFixture.StartAsync(policies: latency, scrapes: Scrapes(metrics.Url), probeUrl: endpoint.Url, componentExtra: "bake-time: 1s");
        await server.Store.AddReleaseLatencyAsync("web", "v1", [(0.1, 4900), (0.25, 5000), (double.PositiveInfinity, 5000)]);
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var baking = await Eventually.WaitAsync(async () => await server.Client.GetComponentAsync("web") is { Evidence: { } e } c && e.Contains("p95 latency", StringComparison.Ordinal) && metrics.Scrapes >= 15 ? c : null, TimeSpan.FromSeconds(60), "latency evidence counted past the bake time");

        baking.CurrentState.ShouldBe("baking");
        // Needed at a release's baseline: about 131 requests to rule out 10× errors at 0.5 %, about 275 to rule out a
        // doubled share over 100 ms (5 % → 10 %, ln(0.01 / 0.9995) / KL(5 % ‖ 10 %)); clean requests count for more.
        baking.Evidence!.ShouldMatch(@"^\d+ of about 2\d\d requests: .*; policy regressed, p95 latency: \d+ of about 2\d\d requests needed to rule out a 2× regression \(miss rate β = 0\.01\); 0 bad so far \(0 %\) against a baseline of 5 % \(requests slower than 100 ms\)$");
        await Eventually.WaitAsync(async () => (await server.Client.GetReleasesAsync("web")).FirstOrDefault(r => r.Version == "v2" && r.State == "stable"), TimeSpan.FromSeconds(60), "v2 to become stable");
    }

    [Fact]
    public async Task Bake_EnoughCleanTraffic_BecomesStable()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        await using var server = await ServerFixture.StartAsync(policies: Policy, scrapes: Scrapes(metrics.Url), probeUrl: endpoint.Url, componentExtra: "bake-time: 1s");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var stable = await Eventually.WaitAsync(async () => (await server.Client.GetReleasesAsync("web")).FirstOrDefault(r => r.Version == "v2" && r.State == "stable"), TimeSpan.FromSeconds(60), "v2 to become stable");

        stable.LastKnownGood.ShouldBeFalse(); // it serves: the target of a rollback is another release
        // With no bad request, Wald's lower boundary for 0.5 % against 5 % (α = 0.001, β = 0.01) is crossed at the 100th:
        // ln(0.01 / 0.999) / ln(0.95 / 0.995) = 99.4. A release at its baseline needs about 134.
        (await server.Store.GetReleaseTrafficAsync("web", "v2"))!.Requests.ShouldBeGreaterThanOrEqualTo(100);
    }

    [Fact]
    public async Task Bake_ReleaseAtFiveTimesItsBaseline_NeverBecomesStable()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 1);
        metrics.RequestsPerScrape = 40; // 2.5 %: five times the baseline, healthy by probe, past its bake time
        await using var server = await ServerFixture.StartAsync(policies: Policy, scrapes: Scrapes(metrics.Url), probeUrl: endpoint.Url, componentExtra: "bake-time: 1s");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var served = await Eventually.WaitAsync(async () => (await server.Store.GetReleaseTrafficAsync("web", "v2")) is { Requests: >= 400 } t ? t : null, TimeSpan.FromSeconds(60), "v2 to serve 400 requests");

        served.Requests.ShouldBeGreaterThan(134); // three times what a clean release needs to clear
        (await server.Client.GetReleasesAsync("web")).Single(r => r.Version == "v2").State.ShouldNotBe("stable");
    }

    [Fact]
    public async Task FirstRelease_NoBaselineToCompare_IsNotTestedAndBecomesStable()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 3); // 6 %: against the configured 0.5 % this would fire
        await using var server = await ServerFixture.StartAsync(policies: Policy, scrapes: Scrapes(metrics.Url), probeUrl: endpoint.Url, componentExtra: "bake-time: 1s");
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));

        var stable = await Eventually.WaitAsync(async () => (await server.Client.GetReleasesAsync("web")).FirstOrDefault(r => r.Version == "v1" && r.State == "stable"), TimeSpan.FromSeconds(60), "the first release to become stable");

        stable.Version.ShouldBe("v1");
        (await server.Client.GetIncidentsAsync()).ShouldBeEmpty();
    }
}
