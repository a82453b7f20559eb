using System.Globalization;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>PromQL queries as signals on a real controller, against real Prometheus servers.</summary>
public sealed class QueryTests
{
    private static string Queries(string prometheus, string promql) =>
        $"queries: {{ errors: {{ prometheus: \"{prometheus}\", promql: '{promql}', interval: 300ms, timeout: 250ms }} }}";

    [Fact]
    public async Task ErrorRatioQuery_AboveTheLimit_FiresWithTheQueryValueAndLimit()
    {
        var prometheus = PrometheusServer.FromEnvironment();
        await using var sample = await SampleProcess.StartAsync();
        using var target = await prometheus.AddTargetAsync($"127.0.0.1:{sample.Port.ToString(CultureInfo.InvariantCulture)}");
        var home = $"job=\"{target.Job}\",route=\"/\"";
        var ratio = $"sum(rate(http_requests_total{{{home},code=~\"5..\"}}[5s])) / sum(rate(http_requests_total{{{home}}}[5s]))";
        await using var server = await ServerFixture.StartAsync(
            policies: "{ error-ratio: { when: { signal: { name: errors, above: 0.05, for: 1s } }, severity: P2, mode: notify } }",
            componentExtra: Queries(prometheus.Url, ratio));
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        await sample.SetErrorFractionAsync(0.5);
        using var traffic = new CancellationTokenSource();
        var sending = sample.SendTrafficAsync(traffic.Token);
        Client.IncidentDto incident;
        try
        {
            incident = await Eventually.WaitAsync(
                async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Kind == "decision") ? full : null : null,
                TimeSpan.FromSeconds(60),
                "the error-ratio policy to fire");
        }
        finally
        {
            await traffic.CancelAsync();
            await sending;
        }

        incident.Policy.ShouldBe("error-ratio");
        incident.Severity.ShouldBe("P2");
        var evidence = incident.Timeline.First(e => e.Kind == "evidence").Message;
        evidence.ShouldStartWith("policy error-ratio: signal errors = ");
        evidence.ShouldContain("limit above 0.05");
        var value = double.Parse(evidence["policy error-ratio: signal errors = ".Length..].Split(',')[0], CultureInfo.InvariantCulture);
        value.ShouldBeInRange(0.05, 0.8); // above the limit it fired on, at most about half: a 5 s rate of an error series that has only just appeared reads low
        incident.Timeline.ShouldContain(e => e.Message == "policy error-ratio is notify-only: no rollback");
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task PrometheusDown_IsInconclusive_PagesNeverRollsBackAndResolvesWhenItAnswers()
    {
        var port = SampleRelease.FreeLoopbackPort(); // nothing listens here until the test starts a Prometheus on it
        await using var server = await ServerFixture.StartAsync(
            restart: "[\"true\"]",
            policies: "{ error-ratio: { when: { signal: { name: errors, above: 0.05, for: 300ms } }, severity: P1, mode: auto } }",
            componentExtra: Queries($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "vector(0)"));
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var inconclusive = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Kind == "escalation") ? full : null : null,
            TimeSpan.FromSeconds(20),
            "an inconclusive incident");

        inconclusive.Severity.ShouldBe("P3");
        inconclusive.Status.ShouldBe("investigating");
        inconclusive.Timeline.ShouldContain(e => e.Message == "query errors failed 3 times in a row: connection refused");
        inconclusive.Timeline.ShouldContain(e => e.Message.StartsWith("signal errors is inconclusive", StringComparison.Ordinal));
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();

        await using var prometheus = await PrometheusProcess.StartAsync(port);
        var resolved = await Eventually.WaitAsync(
            async () => await server.Client.GetIncidentAsync(inconclusive.Id) is { Status: "resolved" } i ? i : null,
            TimeSpan.FromSeconds(20),
            "the incident to resolve once Prometheus answers");

        resolved.Timeline.ShouldContain(e => e.Message.StartsWith("query errors answers again after ", StringComparison.Ordinal));
        resolved.Timeline.ShouldContain(e => e.Message == "signal errors is back; incident resolved");
        (await server.Client.GetIncidentsAsync()).ShouldHaveSingleItem();
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }
}
