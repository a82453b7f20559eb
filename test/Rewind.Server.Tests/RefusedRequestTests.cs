using System.Net;
using System.Net.Http.Json;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Audit;
using Rewind.Core.Signals.Metrics;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>What refused requests cost a real controller: a bounded handful of audit entries, and 429 past the limits.</summary>
public sealed class RefusedRequestTests
{
    private const int Flood = 10_000;

    [Fact]
    public Task AnonymousFlood_LeavesAHandfulOfEntriesWithTheTotal_AndTheOperatorIsStillServed() => FloodAsync("sqlite:rewind.db");

    [Fact]
    public async Task AnonymousFlood_OnPostgres_LeavesAHandfulOfEntriesWithTheTotal_AndTheOperatorIsStillServed()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await FloodAsync(database.Url);
    }

    private static async Task FloodAsync(string store)
    {
        await using var server = await ServerFixture.StartAsync(store: store, serverExtra: "limits: { refusal-window: 2s }");
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };
        var codes = new int[600];
        string? retryAfter = null;
        string? problem = null;
        var operatorAnswers = new List<HttpStatusCode>();
        var flooding = true;

        var flood = Parallel.ForAsync(0, Flood, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, cancellationToken) =>
        {
            using var response = await anonymous.GetAsync(new Uri("api/v1/components", UriKind.Relative), cancellationToken);
            Interlocked.Increment(ref codes[(int)response.StatusCode]);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && retryAfter is null)
            {
                retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                problem = await response.Content.ReadAsStringAsync(cancellationToken);
            }
        });
        var served = Task.Run(async () =>
        {
            while (Volatile.Read(ref flooding))
            {
                using var response = await server.Http.GetAsync(new Uri("api/v1/components", UriKind.Relative));
                operatorAnswers.Add(response.StatusCode);
            }
        });
        await flood;
        Volatile.Write(ref flooding, false);
        await served;
        var refused = await Eventually.WaitAsync(
            async () => await server.Client.GetAuditAsync(limit: 1000) is var all && all.Where(e => e.Actor == "anonymous").ToList() is var mine && mine.Sum(e => e.Count) == Flood ? mine : null,
            TimeSpan.FromSeconds(30),
            "the counts of the flood in the audit log");
        var verified = await server.Client.VerifyAuditAsync();
        using var metricsAnswer = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative));
        var metrics = PrometheusText.Parse(await metricsAnswer.Content.ReadAsStringAsync());

        codes[401].ShouldBe(120); // server.limits.anonymous-requests-per-minute, then 429
        codes[429].ShouldBe(Flood - 120);
        int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 60);
        problem!.ShouldContain("too many requests");
        problem!.ShouldContain("server.limits.anonymous-requests-per-minute");
        refused.Count.ShouldBeLessThanOrEqualTo(30); // two refusers (401 and 429): one entry at once, then one per 2s window each
        refused.Where(e => e.Result == "401").Sum(e => e.Count).ShouldBe(120);
        refused.Where(e => e.Result == "429").Sum(e => e.Count).ShouldBe(Flood - 120);
        refused.ShouldAllBe(e => e.Source == "127.0.0.1");
        verified.Intact.ShouldBeTrue();
        operatorAnswers.ShouldNotBeEmpty();
        operatorAnswers.ShouldAllBe(c => c == HttpStatusCode.OK);
        metrics.Sum("rewind_requests_refused_total", s => s.Label("reason") == "unauthenticated").ShouldBe(120);
        metrics.Sum("rewind_requests_refused_total", s => s.Label("reason") == "rate_limited").ShouldBe(Flood - 120);
    }

    [Fact]
    public async Task Login_OverTheAttemptsPerMinute_Is429WithRetryAfter_WhileTheApiStillAnswers()
    {
        await using var server = await ServerFixture.StartAsync(serverExtra: "limits: { login-attempts-per-minute: 3 }");
        using var browser = new HttpClient { BaseAddress = server.Http.BaseAddress };

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await browser.PostAsJsonAsync(new Uri("ui/login", UriKind.Relative), new { token = "rwt_guess-" + i }));
        }

        var components = await server.Client.GetComponentsAsync();

        answers.Select(a => a.StatusCode).ShouldBe([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests]);
        answers[3].Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        answers[3].Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await answers[3].Content.ReadAsStringAsync()).ShouldContain("server.limits.login-attempts-per-minute");
        components.ShouldNotBeEmpty();
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task Shutdown_WritesTheCountsLeft_ForbiddenCountedPerUser_ChainIntact()
    {
        await using var server = await ServerFixture.StartAsync(); // the default one-minute window: only the shutdown writes the counts
        await server.Client.CreateUserAsync(new CreateUserRequest("vera", [Roles.Viewer]));
        var vera = await server.Client.CreateTokenAsync("vera", new CreateTokenRequest("laptop"));
        using var asVera = server.HttpAs(vera.Token);
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        for (var i = 0; i < 30; i++)
        {
            using var forbidden = await asVera.PostAsJsonAsync(new Uri("api/v1/rollbacks", UriKind.Relative), new RollbackRequest("web", "not mine to ask"));
            forbidden.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            using var unauthenticated = await anonymous.GetAsync(new Uri("api/v1/incidents", UriKind.Relative));
            unauthenticated.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        await server.StopAsync();
        var entries = await server.Store.GetAuditAsync(0, 1000);

        var veras = entries.Where(e => e.Actor == "vera").ToList();
        veras.Select(e => (e.Result, e.Count)).ShouldBe([("403", 1L), ("403", 29L)]);
        veras[1].Action.ShouldBe("POST /api/v1/rollbacks");
        veras[1].Detail.ShouldContain("29 refused from");
        entries.Where(e => e.Actor == "anonymous").Select(e => (e.Result, e.Count)).ShouldBe([("401", 1L), ("401", 29L)]);
        AuditChain.Verify(entries).ShouldBeEmpty();
    }
}
