using System.Net;
using Rewind.Client;
using Rewind.Core.Signals.Metrics;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Metrics;

/// <summary>The controller's own <c>/metrics</c> on a real controller, read by the project's parser and by a real Prometheus.</summary>
public sealed class MetricsEndpointTests
{
    private const string Policy = "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P1, mode: notify } }";

    [Fact]
    public async Task Get_AfterAProbeFailsAndARollbackRuns_CarriesTheValues()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", policies: Policy);
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        await Eventually.WaitAsync(async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? i : null, TimeSpan.FromSeconds(60), "the policy to open an incident");
        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "metrics test"));
        await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(rollback.Id) is { Status: "failed" } r ? r : null, TimeSpan.FromSeconds(60), "the rollback to fail");
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        using var response = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative));
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        metrics.Errors.ShouldBeEmpty();
        double Value(string name, params (string Label, string Value)[] labels) =>
            metrics.Sum(name, s => labels.All(l => s.Label(l.Label) == l.Value));
        Value("rewind_probe_up", ("component", "web"), ("probe", "health")).ShouldBe(0);
        Value("rewind_probe_samples_total", ("component", "web"), ("probe", "health"), ("result", "fail")).ShouldBeGreaterThanOrEqualTo(2);
        Value("rewind_probe_samples_total", ("result", "pass")).ShouldBe(0);
        Value("rewind_decisions_total", ("component", "web"), ("policy", "down"), ("mode", "notify")).ShouldBeGreaterThanOrEqualTo(1);
        metrics.Samples.ShouldContain(s => s.Name == "rewind_policy_firing" && s.Label("policy") == "down");
        Value("rewind_rollbacks_total", ("component", "web"), ("status", "failed")).ShouldBe(1);
        Value("rewind_rollbacks_total", ("status", "succeeded")).ShouldBe(0);
        foreach (var kind in new[] { "switch", "restart", "wait-healthy" })
        {
            Value("rewind_rollback_step_duration_seconds_count", ("kind", kind)).ShouldBe(1);
            Value("rewind_rollback_step_duration_seconds_bucket", ("kind", kind), ("le", "+Inf")).ShouldBe(1);
        }

        Value("rewind_rollback_step_duration_seconds_sum", ("kind", "wait-healthy")).ShouldBeGreaterThan(0.5); // healthy-timeout is 1s
        Value("rewind_incidents_open").ShouldBe(1);
        Value("rewind_incidents_open", ("severity", "P1")).ShouldBe(1);
        Value("rewind_store_up").ShouldBe(1);
        metrics.Samples.ShouldContain(s => s.Name == "rewind_store_latency_seconds" && s.Value > 0);
        metrics.Types["rewind_rollback_step_duration_seconds"].ShouldBe("histogram");
        metrics.Types["rewind_probe_samples_total"].ShouldBe("counter");
        metrics.Types["rewind_notification_outbox_depth"].ShouldBe("gauge");
    }

    [Fact]
    public async Task Get_TokenRequired_Is401WithoutAToken()
    {
        await using var server = await ServerFixture.StartAsync(serverExtra: "metrics-require-token: true");
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        using var refused = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative));
        using var allowed = await server.Http.GetAsync(new Uri("metrics", UriKind.Relative));

        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        PrometheusText.Parse(await allowed.Content.ReadAsStringAsync()).Errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Scrape_ByARealPrometheus_IsUpWithProbeSeries()
    {
        var prometheus = PrometheusServer.FromEnvironment();
        await using var server = await ServerFixture.StartAsync();

        using var target = await prometheus.AddTargetAsync(server.Http.BaseAddress!.Authority);

        await Eventually.WaitAsync(
            async () => await prometheus.SeriesCountAsync($"rewind_probe_up{{job=\"{target.Job}\",component=\"web\",probe=\"health\"}} == 0") == 1 ? "" : null,
            TimeSpan.FromSeconds(30),
            "Prometheus to store rewind_probe_up of web/health");
        (await prometheus.SeriesCountAsync($"up{{job=\"{target.Job}\"}} == 1")).ShouldBe(1);
        (await prometheus.SeriesCountAsync($"rewind_probe_samples_total{{job=\"{target.Job}\",result=\"fail\"}} > 0")).ShouldBe(1);
    }
}
