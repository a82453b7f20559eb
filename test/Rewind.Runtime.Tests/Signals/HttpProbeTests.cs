using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.Core.Configuration;
using Rewind.Runtime.Signals;
using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Signals;

public sealed class HttpProbeTests : IAsyncLifetime
{
    private readonly HttpProbe _probe = new();
    private LoopbackApp _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/ok", () => Results.Json(new { status = "ok", checks = new { db = "up", replicas = 2 } }));
            app.MapGet("/failing", () => Results.Json(new { status = "failing" }, statusCode: StatusCodes.Status503ServiceUnavailable));
            app.MapGet("/text", () => Results.Text("not json at all"));
            app.MapGet("/pause", async () =>
            {
#pragma warning disable RS0030 // a peer that answers slowly, not a wait of the test
                await Task.Delay(TimeSpan.FromMilliseconds(300));
#pragma warning restore RS0030
                return Results.Text("build 4711 ready");
            });
            app.MapGet("/slow", async (CancellationToken aborted) =>
            {
#pragma warning disable RS0030 // a peer that never answers, not a wait of the test
                await Task.Delay(TimeSpan.FromSeconds(30), aborted);
#pragma warning restore RS0030
                return Results.Ok();
            });
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RunAsync_ExpectedStatus_Passes()
    {
        var sample = await _probe.RunAsync("api", "health", Probe(_server.BaseUrl + "/ok"));

        sample.Success.ShouldBeTrue();
        sample.Error.ShouldBeNull();
        sample.Component.ShouldBe("api");
        sample.Probe.ShouldBe("health");
        sample.LatencyMs.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("status", "ok")]
    [InlineData("checks.db", "up")]
    [InlineData("checks.replicas", "2")]
    public async Task RunAsync_JsonFieldMatches_Passes(string path, string expected)
    {
        var sample = await _probe.RunAsync("api", "health", Probe(_server.BaseUrl + "/ok", jsonField: (path, expected)));

        sample.Success.ShouldBeTrue(sample.Error);
    }

    [Fact]
    public async Task RunAsync_WrongStatus_FailsWithStatusInError()
    {
        var sample = await _probe.RunAsync("api", "health", Probe(_server.BaseUrl + "/failing"));

        sample.Success.ShouldBeFalse();
        sample.Error.ShouldBe("status 503, expected 200");
    }

    [Fact]
    public async Task RunAsync_JsonFieldMismatch_FailsWithBothValues()
    {
        var sample = await _probe.RunAsync("api", "health", Probe(_server.BaseUrl + "/failing", expectStatus: 503, jsonField: ("status", "ok")));

        sample.Success.ShouldBeFalse();
        sample.Error.ShouldBe("json field status is 'failing', expected 'ok'");
    }

    [Fact]
    public async Task RunAsync_JsonFieldMissing_Fails()
    {
        var sample = await _probe.RunAsync("api", "health", Probe(_server.BaseUrl + "/ok", jsonField: ("checks.cache", "up")));

        sample.Error.ShouldBe("json field checks.cache is missing");
    }

    [Fact]
    public async Task RunAsync_BodyNotJson_Fails()
    {
        var sample = await _probe.RunAsync("api", "health", Probe(_server.BaseUrl + "/text", jsonField: ("status", "ok")));

        sample.Error.ShouldBe("body is not JSON");
    }

    [Fact]
    public async Task RunAsync_SlowEndpoint_TimesOut()
    {
        var sample = await _probe.RunAsync("api", "health", Probe(_server.BaseUrl + "/slow", timeout: TimeSpan.FromMilliseconds(300)));

        sample.Success.ShouldBeFalse();
        sample.Error.ShouldBe("timeout after 300ms");
        sample.LatencyMs.ShouldBeGreaterThanOrEqualTo(250);
    }

    [Fact]
    public async Task RunAsync_NothingListening_ReportsConnectionRefused()
    {
        var port = Rewind.Runtime.Samples.SampleRelease.FreeLoopbackPort();
        var sample = await _probe.RunAsync("api", "health", Probe($"http://user:secret@127.0.0.1:{port}/health?token=secret"));

        sample.Success.ShouldBeFalse();
        sample.Error.ShouldBe($"connection refused: http://127.0.0.1:{port}/health"); // the URL probed, without its secrets
    }

    [Fact]
    public async Task RunAsync_CallerCancellation_Throws()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(
            () => _probe.RunAsync("api", "health", Probe(_server.BaseUrl + "/slow", timeout: TimeSpan.FromSeconds(20)), cancellation.Token));
    }

    [Theory]
    [InlineData("ready$", true, null)]
    [InlineData("build \\d+ ready", true, null)]
    [InlineData("^degraded", false, "body does not match ^degraded")]
    public async Task RunAsync_BodyPattern_DecidesThePass(string pattern, bool passes, string? error)
    {
        var config = Probe(_server.BaseUrl + "/pause");
        config.Http!.BodyMatches = pattern;

        var sample = await _probe.RunAsync("api", "home", config);

        (sample.Success, sample.Error).ShouldBe((passes, error));
    }

    [Fact]
    public async Task RunAsync_SlowerThanMaxLatency_Fails()
    {
        var config = Probe(_server.BaseUrl + "/pause");
        config.Http!.MaxLatency = TimeSpan.FromMilliseconds(100);

        var sample = await _probe.RunAsync("api", "home", config);

        sample.Success.ShouldBeFalse();
        sample.Error!.ShouldStartWith("slow: ");
        sample.Error.ShouldEndWith(", at most 100ms");
    }

    internal static ProbeConfig Probe(string url, int expectStatus = 200, (string Path, string Expected)? jsonField = null, TimeSpan? timeout = null) => new()
    {
        Http = new HttpProbeConfig
        {
            Url = url,
            ExpectStatus = expectStatus,
            JsonField = jsonField is { } field ? new JsonFieldConfig { Path = field.Path, Expected = field.Expected } : null,
        },
        Interval = TimeSpan.FromMilliseconds(50),
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
    };
}
