using System.Globalization;
using System.Text.RegularExpressions;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>The regression condition end to end on a real controller: scrapes, the anytime regression test, evidence, action.</summary>
public sealed class RegressionTests
{
    private const string Policy = "{ regressed: { when: { regression: { scrape: app, baseline-rate: 0.005, factor: 10 } }, severity: P1, mode: auto } }";

    private static string Scrapes(string url) => $"{{ app: {{ url: \"{url}\", interval: 200ms, timeout: 200ms }} }}";

    [Fact]
    public async Task ErrorRateStep_FiresWithTheTestsEvidenceAndRollsBack()
    {
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 5); // 10 % of 50 requests per scrape
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", policies: Policy, scrapes: Scrapes(metrics.Url));
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var incident = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? await server.Client.GetIncidentAsync(i.Id) is { } full && full.Rollbacks.Count > 0 ? full : null : null,
            TimeSpan.FromSeconds(20),
            "an incident with a rollback");

        incident.Policy.ShouldBe("regressed");
        var evidence = incident.Timeline.First(e => e.Kind == "evidence").Message; // v1 may fire later too: the endpoint keeps failing after the rollback
        evidence.ShouldMatch(@"^policy regressed: \d+ bad in \d+ requests \([\d.]+ %\) against the last known good's 0\.5 %: about [\d.]+× the baseline; e-value ");
        evidence.ShouldContain("(false-alarm rate α = 0.001)");
        evidence.ShouldContain("baseline configured rate 0.5 %");
        evidence.ShouldMatch(@"last scrape app: \d+ requests"); // one scrape is 50 requests, two under load
        (await server.Client.GetRollbackAsync(incident.Rollbacks[0])).ToVersion.ShouldBe("v1");
    }

    [Fact]
    public async Task Baseline_MeasuredByAnEarlierControllerRun_IsReadFromTheStore()
    {
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        await using var server = await ServerFixture.StartAsync(policies: Policy.Replace("mode: auto", "mode: notify", StringComparison.Ordinal), scrapes: Scrapes(metrics.Url));
        await server.Store.AddReleaseTrafficAsync("web", "v1", 5000, 10, TimeProvider.System.GetUtcNow()); // what v1 served before this controller started
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        metrics.ErrorsPerScrape = 5; // v2 fails 10 %

        var incident = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Kind == "evidence") ? full : null : null,
            TimeSpan.FromSeconds(20),
            "an incident");

        var evidence = incident.Timeline.First(e => e.Kind == "evidence").Message;
        incident.Release.ShouldBe("v2");
        // 10 bad in 5000 and the clean scrapes of v1 before v2 (more of them on a slower host): about 0.2 %, at most about
        // 0.4 % with 99 % confidence.
        var v1 = (await server.Store.GetReleaseTrafficAsync("web", "v1")).ShouldNotBeNull();
        v1.Requests.ShouldBeInRange(5000, 20_000);
        evidence.ShouldMatch(@"baseline measured on v1: 10 bad of \d+ requests \(0\.\d+ %; between 0\.\d+ % and 0\.\d+ % with 99 % confidence, alarms test against 0\.\d+ %\)");
        evidence.ShouldContain(string.Create(CultureInfo.InvariantCulture, $"baseline measured on v1: 10 bad of {v1.Requests} requests ("));
        var bound = double.Parse(Regex.Match(evidence, @"against the last known good's (?<bound>\d+\.\d+) %", RegexOptions.None, TimeSpan.FromSeconds(1)).Groups["bound"].Value, CultureInfo.InvariantCulture);
        bound.ShouldBeInRange(1000.0 / v1.Requests, 0.45);
        var v2 = await server.Store.GetReleaseTrafficAsync("web", "v2");
        v2.ShouldNotBeNull();
        v2.Bad.ShouldBeGreaterThan(0); // the scrapes of v2 are kept too
    }

    [Fact]
    public async Task LatencyQuantile_ShiftedAboveTheLastKnownGoodsBound_FiresWithTheLatencyEvidenceAndRollsBack()
    {
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        metrics.SlowPerScrape = 1; // v2 like v1 at first: 2 % of its requests over 100 ms
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", policies: LatencyPolicy, scrapes: Scrapes(metrics.Url));
        await server.Store.AddReleaseLatencyAsync("web", "v1", V1Latency); // v1 served 5,000 requests, 2 % of them over 100 ms: its p95 is within 100 ms
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        await Eventually.WaitAsync(async () => (await server.Store.GetReleaseLatencyAsync("web", "v2")) is [.., (_, >= 500)] ? (object)true : null, TimeSpan.FromSeconds(60), "500 requests of v2 like v1's");
        (await server.Client.GetIncidentsAsync()).ShouldNotContain(i => i.Policy == "slow-tail"); // a scrape timing out under load may open an inconclusive one

        metrics.SlowPerScrape = 10; // 20 % over 100 ms: v2's p95 moved above it

        var incident = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? await server.Client.GetIncidentAsync(i.Id) is { } full && full.Rollbacks.Count > 0 && full.Timeline.Any(e => e.Message.StartsWith("policy slow-tail: ", StringComparison.Ordinal)) ? full : null : null,
            TimeSpan.FromSeconds(30),
            "an incident with a rollback");
        var evidence = incident.Timeline.First(e => e.Kind == "evidence" && e.Message.StartsWith("policy slow-tail: ", StringComparison.Ordinal)).Message;
        evidence.ShouldStartWith("policy slow-tail: p95 latency shifted: ");
        evidence.ShouldMatch(@"\d+ slower than 100 ms in \d+ requests \([\d.]+ %\) against the 5\.0 % a p95 within 100 ms allows: about [\d.]+× the baseline; e-value ");
        evidence.ShouldContain("(false-alarm rate α = 0.0005)"); // α split between the error and latency tests
        evidence.ShouldMatch(@"100 ms is the bound the last known good v1 kept its p95 under \(2\.0 % of its 5,\d{3} requests slower\)"); // v1 may serve a scrape before v2 is recorded
        (await server.Client.GetRollbackAsync(incident.Rollbacks[0])).ToVersion.ShouldBe("v1");
    }

    [Fact]
    public async Task LatencyQuantile_ReleaseLikeItsPredecessor_NeverFiresAndClearsForPromotion()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        metrics.SlowPerScrape = 1; // 2 % over 100 ms, as v1
        await using var server = await ServerFixture.StartAsync(policies: LatencyPolicy, scrapes: Scrapes(metrics.Url), probeUrl: endpoint.Url, componentExtra: "bake-time: 1s");
        await server.Store.AddReleaseLatencyAsync("web", "v1", V1Latency);
        await server.Store.AddReleaseTrafficAsync("web", "v1", 5000, 25, TimeProvider.System.GetUtcNow());
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        await Eventually.WaitAsync(async () => (await server.Client.GetReleasesAsync("web")).FirstOrDefault(r => r.Version == "v2" && r.State == "stable"), TimeSpan.FromSeconds(60), "v2 to become stable");
        await Eventually.WaitAsync(async () => (await server.Store.GetReleaseLatencyAsync("web", "v2")) is [.., (_, >= 2000)] ? (object)true : null, TimeSpan.FromSeconds(60), "2,000 requests of v2");

        (await server.Client.GetIncidentsAsync()).ShouldNotContain(i => i.Policy == "slow-tail");
        // Ruling out a doubled share over 100 ms (5 % → 10 %) at 2 % takes more requests than ruling out 10× errors at 0 %.
        var (requests, slower) = Core.Detectors.LatencyShiftTest.Slower(await server.Store.GetReleaseLatencyAsync("web", "v2"), 0.1);
        Core.Detectors.RegressionClearance.Of(0.05, 2, 0.0005, 0.01, requests, slower).Cleared.ShouldBeTrue();
    }

    private const string LatencyPolicy = "{ slow-tail: { when: { regression: { scrape: app, baseline-rate: 0.005, factor: 10, latency-quantile: 0.95, min-baseline-requests: 1000 } }, severity: P1, mode: auto } }";

    private static readonly (double, double)[] V1Latency = [(0.1, 4900), (0.25, 5000), (0.5, 5000), (double.PositiveInfinity, 5000)];

    [Fact]
    public async Task HealthyTraffic_NeverFires()
    {
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 0);
        await using var server = await ServerFixture.StartAsync(policies: Policy, scrapes: Scrapes(metrics.Url));
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        await Eventually.WaitAsync(() => Task.FromResult(metrics.Scrapes >= 20), TimeSpan.FromSeconds(60), "20 scrapes");

        (await server.Client.GetIncidentsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task ScrapeDown_IsInconclusive_PagesAndNeverRollsBack()
    {
        await using var server = await ServerFixture.StartAsync(policies: Policy, scrapes: Scrapes("http://127.0.0.1:9/metrics"));
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var incident = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Kind == "escalation") ? full : null : null,
            TimeSpan.FromSeconds(20),
            "an inconclusive incident");

        incident.Severity.ShouldBe("P3");
        incident.Timeline.ShouldContain(e => e.Message == "scrape app failed 3 times in a row: connection refused");
        incident.Timeline.ShouldContain(e => e.Message.StartsWith("signal app is inconclusive", StringComparison.Ordinal));
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }
}
