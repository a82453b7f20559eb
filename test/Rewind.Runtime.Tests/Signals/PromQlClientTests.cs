using System.Diagnostics;
using Rewind.Core.Configuration;
using Rewind.Runtime.Samples;
using Rewind.Runtime.Signals;
using Rewind.Runtime.Tests.Samples;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Signals;

/// <summary>The client against the real Prometheus of ./test.sh, scraping a real sample service.</summary>
public sealed class PromQlClientTests(ScrapedSample sample) : IClassFixture<ScrapedSample>
{
    private readonly PromQlClient _client = new();

    [Fact]
    public async Task QueryAsync_OneSeries_ReturnsItsValue()
    {
        var result = await _client.QueryAsync(Query($"sum(up{{job=\"{sample.Job}\"}})"));

        Answer(result).ShouldBe((1, null));
        result.Description.ShouldBe("1");
    }

    [Theory]
    [InlineData("vector(0.25)", 0.25)]
    [InlineData("scalar(vector(0.25))", 0.25)]
    [InlineData("1/0", double.PositiveInfinity)]
    [InlineData("-1/0", double.NegativeInfinity)]
    public async Task QueryAsync_VectorOrScalar_ReturnsTheNumber(string promql, double expected)
    {
        var result = await _client.QueryAsync(Query(promql));

        Answer(result).ShouldBe((expected, null));
    }

    [Fact]
    public async Task QueryAsync_EmptyVector_IsNoDataButAnAnswer()
    {
        var result = await _client.QueryAsync(Query($"up{{job=\"{sample.Job}-absent\"}}"));

        Answer(result).ShouldBe((null, null));
        result.Succeeded.ShouldBeTrue();
        result.Description.ShouldBe("empty result");
    }

    [Fact]
    public async Task QueryAsync_NaN_IsNoData()
    {
        var result = await _client.QueryAsync(Query("0/0"));

        Answer(result).ShouldBe((null, null));
        result.Description.ShouldBe("NaN");
    }

    [Fact]
    public async Task QueryAsync_SeveralSeries_FailsAskingForAnAggregation()
    {
        var result = await _client.QueryAsync(Query($"up{{job=\"{sample.Job}\"}} or vector(1)"));

        Answer(result).ShouldBe((null, "query returned 2 series; aggregate it (e.g. sum(...))"));
    }

    [Fact]
    public async Task QueryAsync_SyntaxError_ReturnsPrometheusError()
    {
        var result = await _client.QueryAsync(Query("sum(up"));

        result.Value.ShouldBeNull();
        result.Error.ShouldNotBeNull();
        result.Error.ShouldStartWith("bad_data: ");
        result.Error.ShouldContain("parse error");
    }

    [Fact]
    public async Task QueryAsync_RangeVector_FailsNamingIt()
    {
        var result = await _client.QueryAsync(Query($"up{{job=\"{sample.Job}\"}}[5s]"));

        result.Error.ShouldBe("query returned a range vector; an instant vector or a scalar is needed");
    }

    [Fact]
    public async Task QueryAsync_ClosedPort_FailsQuicklyWithConnectionRefused()
    {
        var started = Stopwatch.StartNew();

        var result = await _client.QueryAsync(new QueryConfig { Prometheus = $"http://127.0.0.1:{SampleRelease.FreeLoopbackPort()}", Promql = "up" });

        Answer(result).ShouldBe((null, "connection refused"));
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
    }

    private static (double? Value, string? Error) Answer(QueryResult result) => (result.Value, result.Error);

    private static QueryConfig Query(string promql) =>
        new() { Prometheus = PrometheusServer.FromEnvironment().Url, Promql = promql, Timeout = TimeSpan.FromSeconds(5) };
}

/// <summary>One sample service for the class, scraped by the test run's Prometheus under a job label of its own.</summary>
public sealed class ScrapedSample : IAsyncLifetime
{
    private readonly SampleDeployment _deployment = new();
    private ScrapeTarget? _target;

    public string Job => _target!.Job;

    public async Task InitializeAsync()
    {
        var prometheus = PrometheusServer.FromEnvironment();
        _deployment.AddRelease("v1", "none");
        await _deployment.StartAsync("v1");
        _target = await prometheus.AddTargetAsync($"127.0.0.1:{_deployment.Port}");
    }

    public async Task DisposeAsync()
    {
        _target?.Dispose();
        await _deployment.DisposeAsync();
    }
}
