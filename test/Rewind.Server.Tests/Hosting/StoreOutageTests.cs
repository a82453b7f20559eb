using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rewind.Server.Tests.Notifications;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Hosting;

/// <summary>A real PostgreSQL store stopped under a running controller, then started again.</summary>
public sealed class StoreOutageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>How long the outage is held while the API is asked and the log is watched.</summary>
    private static readonly TimeSpan Held = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task PostgresStopped_ApiAnswers503_HealthAndMetricsSaySo_APageArrivesWithoutTheStore_TheLogStaysQuiet_AndThePageIsRecordedOnceItIsBack()
    {
        var root = await PostgresCluster.CreateDirectoryAsync("rewind-outage");
        await using var cluster = await PostgresCluster.CreateAsync(Path.Combine(root, "data"));
        var secretEnv = $"REWIND_TEST_HOOK_SECRET_{Guid.NewGuid():N}";
        var secret = Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(secretEnv, secret);
        await using var receiver = await WebhookReceiver.UpAsync(secret);
        var log = new LogCapture();
        var options = new RewindServerOptions { MinimumLogLevel = LogLevel.Information, LoggerProviders = [log], FaultPageAfter = TimeSpan.FromSeconds(2), FaultQuietFor = TimeSpan.FromSeconds(3) };
        await using var server = await ServerFixture.StartAsync(
            store: $"postgres://postgres@127.0.0.1:{cluster.Port}/postgres",
            extra: $"notifications: {{ channels: {{ hook: {{ webhook: {{ url: \"{receiver.Url}\", secret-env: {secretEnv} }} }} }} }}",
            options: options);
        await Eventually.WaitAsync(async () => (await server.Http.GetAsync("api/v1/health")).IsSuccessStatusCode ? (object)true : null, Deadline, "the controller healthy on its store");

        var linesBefore = log.Lines.Count; // before the stop: the controller may see the store gone while pg_ctl still waits
        await cluster.StopAsync();
        var stopped = Stopwatch.StartNew();

        await AnswersSaySoAsync(server);
        var page = await Eventually.WaitAsync(() => Task.FromResult(receiver.Deliveries.FirstOrDefault(d => d.Event == "controller-fault")), Deadline, "the page about the store");
        var pagedAfter = stopped.Elapsed;
        page.SignatureValid.ShouldBeTrue();
        page.Body.GetProperty("fault").GetProperty("kind").GetString().ShouldBe("store-unreachable");
        page.Body.GetProperty("text").GetString()!.ShouldContain("REWIND ITSELF");

        // Held for a while with the API asked all along: the loops say so in a line each, with no stack trace.
        while (stopped.Elapsed < Held)
        {
            using var again = await server.Http.GetAsync("api/v1/components");
            again.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
#pragma warning disable RS0030 // the pace of a client, not a wait of the test
            await Task.Delay(50); // a client asking 20 times a second, within the rate limit of a user
#pragma warning restore RS0030
        }

        var outageLines = await Eventually.WaitAsync(
            () => Task.FromResult(log.Lines.Skip(linesBefore).ToList() is var lines && lines.Any(line => line.Contains("[1041]", StringComparison.Ordinal) && line.Contains("store-unreachable", StringComparison.Ordinal)) ? lines : null),
            Deadline,
            "the log line of the fault");
        outageLines.ShouldNotContain(line => line.Contains("   at ", StringComparison.Ordinal), "no stack trace while the store is down:\n" + string.Join('\n', outageLines));
        outageLines.Count.ShouldBeLessThan(40, string.Join('\n', outageLines));

        await cluster.StartAsync();
        await Eventually.WaitAsync(async () => (await server.Http.GetAsync("api/v1/health")).IsSuccessStatusCode ? (object)true : null, Deadline, "the controller healthy again");
        var recovered = await Eventually.WaitAsync(() => Task.FromResult(receiver.Deliveries.FirstOrDefault(d => d.Event == "controller-recovered")), Deadline, "the page that it is over");
        recovered.Body.GetProperty("fault").GetProperty("durationSeconds").GetDouble().ShouldBeGreaterThanOrEqualTo(Held.TotalSeconds - 1);
        var audit = await Eventually.WaitAsync(
            async () => await server.Client.GetAuditAsync() is var entries && entries.Any(e => e.Action == "page controller-fault" && e.Result == "delivered") && entries.Any(e => e.Action == "page controller-recovered") ? entries : null,
            Deadline,
            "the pages written to the audit log once the store is back");
        audit.ShouldContain(e => e.Action == "page controller-fault" && e.Actor == "controller" && e.Detail.Contains("to hook", StringComparison.Ordinal));
        (await server.Client.GetIncidentsAsync()).ShouldBeEmpty(); // the controller's fault is not an incident of what it watches
        Console.WriteLine($"store outage: paged {pagedAfter.TotalSeconds:0.0} s after PostgreSQL stopped (page-after 2 s); {outageLines.Count} log lines in {Held.TotalSeconds:0} s");
    }

    /// <summary>An API read answers 503 problem details, not a generic 500; the health answer and the metrics name the fault.</summary>
    private static async Task AnswersSaySoAsync(ServerFixture server)
    {
        using var read = await Eventually.WaitAsync(async () => await server.Http.GetAsync("api/v1/incidents") is { StatusCode: HttpStatusCode.ServiceUnavailable } r ? r : null, Deadline, "an API read to answer 503");
        read.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        read.Headers.RetryAfter.ShouldNotBeNull();
        (await Problem(read)).GetProperty("title").GetString().ShouldBe("store unavailable");

        var health = await Eventually.WaitAsync(async () => await server.Http.GetAsync("api/v1/health") is { StatusCode: HttpStatusCode.ServiceUnavailable } r ? await r.Content.ReadAsStringAsync() : null, Deadline, "the health answer to say so");
        var problem = JsonDocument.Parse(health).RootElement;
        problem.GetProperty("title").GetString().ShouldBe("store unavailable");
        using var scraper = new HttpClient { BaseAddress = server.Http.BaseAddress }; // anonymous: a token is checked in the store
        await Eventually.WaitAsync(async () => (await scraper.GetStringAsync("metrics")).Contains("rewind_controller_fault{kind=\"store-unreachable\"} 1", StringComparison.Ordinal) ? (object)true : null, Deadline, "the fault in the metrics");
        await Eventually.WaitAsync(async () => await server.Http.GetAsync("api/v1/health") is { StatusCode: HttpStatusCode.ServiceUnavailable } r && (await r.Content.ReadAsStringAsync()).Contains("\"kind\":\"store-unreachable\"", StringComparison.Ordinal) ? (object)true : null, Deadline, "the fault listed in the health answer");
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
