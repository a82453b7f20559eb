using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Rewind.Client;
using Rewind.Engine.Policies;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>
/// The decision matrix's conditions end to end on a real controller: pushes over HTTP with their tokens, probes' failure
/// thresholds, scraped signals. The conditions themselves (counts, fractions, composites, trends) are tested on the engine
/// in virtual time.
/// </summary>
public sealed class ConditionsTests
{
    private const string Token = "rwp_test-token-for-the-shop";
    private static readonly string PushTokens = $"push-tokens: {{ shop: \"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token)))}\" }}";
    private const string Events = "events: { payment-failure: { description: card refused by us }, auth-failure: {} }";

    private static string Scrapes(string url) => $"{{ app: {{ url: \"{url}\", interval: 200ms, timeout: 200ms, gauges: {{ disk: disk_used_bytes }} }} }}";

    [Fact]
    public async Task Push_WithoutOrWithAWrongToken_IsRefusedWithProblemDetails()
    {
        await using var server = await ServerFixture.StartAsync(serverExtra: PushTokens, componentExtra: Events);

        using var anonymous = await server.Http.PostAsJsonAsync(new Uri("api/v1/signals", UriKind.Relative), new { component = "web", @event = "payment-failure" });
        using var wrong = await PushRawAsync(server, "rwp_not-the-token", """{"component":"web","event":"payment-failure"}""");

        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        anonymous.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        anonymous.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"rewind\"");
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Push_BadInput_GetsAClearProblemAndCountsNothing()
    {
        await using var server = await ServerFixture.StartAsync(serverExtra: PushTokens, componentExtra: Events,
            policies: "{ payments: { when: { count: { events: payment-failure, above: 0, in: 1m }, min-failures: 1 }, severity: P2, mode: notify } }");

        using var undeclared = await PushRawAsync(server, Token, """{"component":"web","event":"refund"}""");
        using var zero = await PushRawAsync(server, Token, """{"component":"web","event":"payment-failure","count":0}""");
        using var stale = await PushRawAsync(server, Token, $$"""{"component":"web","event":"payment-failure","at":"{{TimeProvider.System.GetUtcNow().AddHours(-1):O}}"}""");
        using var unknown = await PushRawAsync(server, Token, """{"component":"db","event":"payment-failure"}""");
        using var malformed = await PushRawAsync(server, Token, """{"component":"web","event":""");
        using var huge = await PushRawAsync(server, Token, $$"""{"component":"web","event":"payment-failure","detail":"{{new string('x', 20_000)}}"}""");
        using var text = await PushRawAsync(server, Token, "payment-failure", "text/plain");

        undeclared.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await undeclared.Content.ReadAsStringAsync()).ShouldContain("event 'refund' is not declared for web; declared: auth-failure, payment-failure");
        zero.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await zero.Content.ReadAsStringAsync()).ShouldContain("count 0 must be from 1 to 100000");
        stale.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await stale.Content.ReadAsStringAsync()).ShouldContain("outside the accepted range");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        huge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        text.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        await server.Service<DecisionEngine>().TickAsync(); // a tick of the condition clock: nothing was counted, so nothing fires
        (await server.Client.GetIncidentsAsync()).ShouldBeEmpty();
        var accepted = await server.Client.PushEventAsync(Token, new PushEventRequest("web", "payment-failure"));
        accepted.PushedBy.ShouldBe("token:shop");
        (await server.Client.GetIncidentsAsync()).ShouldHaveSingleItem(); // a push that is accepted counts at once
    }

    [Fact]
    public async Task FailureThreshold_FewerFailuresInARow_AreABlipThenTheProbeFails()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        await using var server = await ServerFixture.StartAsync(probesExtra: $"api: {{ http: {{ url: \"{endpoint.Url}\" }}, interval: 300ms, timeout: 200ms, failure-threshold: 5 }}");
        await Eventually.WaitAsync(async () => (await ProbeHealthAsync(server)) == "healthy", TimeSpan.FromSeconds(60), "the probe healthy");

        // Healthy when the endpoint turns; the blip then lasts four probe intervals (at least 1.2 s), which a read every
        // 100 ms sees even on a loaded host (a slower controller also probes more slowly, and the blip lasts longer).
        endpoint.Healthy = false;
        var seen = new List<string> { "healthy" };
        await Eventually.WaitAsync(
            async () =>
            {
                var health = await ProbeHealthAsync(server);
                if (seen.Count == 0 || seen[^1] != health)
                {
                    seen.Add(health);
                }

                return health == "failing";
            },
            TimeSpan.FromSeconds(10),
            "the probe failing");

        seen.ShouldBe(["healthy", "blip", "failing"]);
    }

    private static async Task<string> ProbeHealthAsync(ServerFixture server) =>
        (await server.Client.GetComponentAsync("web")).Probes.Single(p => p.Name == "api").Health;

    [Fact]
    public async Task Signal_ScrapedErrorRatioAboveTheLimit_FiresAndTheApiShowsTheValue()
    {
        await using var metrics = await MetricsEndpoint.StartAsync(errorsPerScrape: 25);
        await using var server = await ServerFixture.StartAsync(scrapes: Scrapes(metrics.Url),
            policies: "{ errors: { when: { signal: { name: app.error-ratio, above: 10%, for: 300ms } }, severity: P1, mode: notify } }");

        var incident = await Eventually.WaitAsync(async () => (await server.Client.GetIncidentsAsync()) is [var i] ? await server.Client.GetIncidentAsync(i.Id) : null, TimeSpan.FromSeconds(60), "an incident");
        var signals = await server.Client.GetSignalsAsync("web");

        incident.Timeline.ShouldContain(e => e.Message.StartsWith("policy errors: signal app.error-ratio = 0.5, limit above 0.1; held for", StringComparison.Ordinal));
        signals.ShouldContain(s => s.Signal == "app.error-ratio" && s.Value == 0.5);
        signals.ShouldContain(s => s.Signal == "app.request-rate" && s.Value > 0);
        signals.ShouldContain(s => s.Signal == "app.latency-p99" && s.Value == null); // the endpoint has no histogram: no data, not zero
    }

    [Fact]
    public async Task Signal_SourceDown_IsInconclusiveUnlessThePolicySaysNoDataHolds()
    {
        const string Policies = "{ errors: { when: { signal: { name: app.error-ratio, above: 10% } }, severity: P1, mode: auto }, dead: { when: { signal: { name: app.request-rate, below: 1, no-data: holds } }, severity: P2, mode: notify } }";
        await using var server = await ServerFixture.StartAsync(scrapes: Scrapes("http://127.0.0.1:9/metrics"), policies: Policies);
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var incident = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i] && await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Message.StartsWith("policy dead", StringComparison.Ordinal)) && full.Timeline.Any(e => e.Kind == "escalation") ? full : null,
            TimeSpan.FromSeconds(10),
            "an inconclusive incident the no-data policy joined");

        incident.Timeline.ShouldContain(e => e.Message.StartsWith("policy dead: signal app.request-rate = no data (", StringComparison.Ordinal));
        incident.Timeline.ShouldNotContain(e => e.Message.StartsWith("policy errors", StringComparison.Ordinal));
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
    }

    private static async Task<HttpResponseMessage> PushRawAsync(ServerFixture server, string token, string body, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/v1/signals", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, mediaType),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await server.Http.SendAsync(request);
    }
}
