using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.Core.Configuration;
using Rewind.Runtime.Signals;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Signals;

/// <summary>Answers no real Prometheus gives on demand: a hang, a proxy's error page, a truncated body.</summary>
public sealed class PromQlClientFailureTests : IAsyncLifetime
{
    private readonly PromQlClient _client = new();
    private LoopbackApp _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/slow/api/v1/query", async (CancellationToken aborted) =>
            {
#pragma warning disable RS0030 // a peer that never answers, not a wait of the test
                await Task.Delay(TimeSpan.FromSeconds(30), aborted);
#pragma warning restore RS0030
                return Results.Ok();
            });
            app.MapGet("/proxy/api/v1/query", () => Results.Text("<html>Bad Gateway</html>", "text/html", statusCode: StatusCodes.Status502BadGateway));
            app.MapGet("/truncated/api/v1/query", () => Results.Text("""{"status":"success","data":{"resultType":"vector","res""", "application/json"));
            app.MapGet("/query-echo/api/v1/query", (HttpRequest request) =>
                Results.Text($$$"""{"status":"success","data":{"resultType":"scalar","result":[1,"{{{request.Query["query"].ToString().Length}}}"]}}""", "application/json"));
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task QueryAsync_NoAnswerWithinTimeout_FailsWithTimeout()
    {
        var result = await _client.QueryAsync(Query("/slow", "up", TimeSpan.FromMilliseconds(200)));

        (result.Value, result.Error).ShouldBe((null, "timeout after 200ms"));
    }

    [Fact]
    public async Task QueryAsync_ErrorStatusWithoutApiBody_FailsWithTheStatus()
    {
        var result = await _client.QueryAsync(Query("/proxy", "up"));

        result.Error.ShouldBe("status 502");
    }

    [Fact]
    public async Task QueryAsync_MalformedJson_FailsSayingSo()
    {
        var result = await _client.QueryAsync(Query("/truncated", "up"));

        result.Error.ShouldNotBeNull();
        result.Error.ShouldStartWith("not a Prometheus API answer: ");
    }

    [Fact]
    public async Task QueryAsync_QueryWithReservedCharacters_ArrivesIntact()
    {
        const string promql = """sum(rate(http_requests_total{code=~"5..",route="/a?b=1&c=2#d"}[1m])) + 0""";

        var result = await _client.QueryAsync(Query("/query-echo", promql));

        result.Value.ShouldBe(promql.Length);
    }

    private QueryConfig Query(string prefix, string promql, TimeSpan? timeout = null) =>
        new() { Prometheus = _server.BaseUrl + prefix + "/", Promql = promql, Timeout = timeout ?? TimeSpan.FromSeconds(5) };
}
