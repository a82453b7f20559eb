using System.Net;

namespace Rewind.Runtime.Tests.Samples;

public sealed class SampleServiceMetricsTests : IDisposable
{
    private static readonly string[] Buckets = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Home_HalfErrorFraction_CountsAboutHalfOf400AsServerErrors()
    {
        await using var deployment = new SampleDeployment();
        deployment.AddRelease("v1", new SampleFaults(ErrorFraction: 0.5));
        await deployment.StartAsync("v1");

        var codes = await GetHomeAsync(deployment, 400);
        var scrape = await MetricsScrape.ReadAsync(_http, deployment.BaseUrl);

        var ok = scrape.Value("http_requests_total", ("route", "/"), ("code", "200"));
        var failed = scrape.Value("http_requests_total", ("route", "/"), ("code", "500"));
        (ok + failed).ShouldBe(400);
        failed.ShouldBe(codes.Count(c => c == HttpStatusCode.InternalServerError));
        // Binomial(400, 0.5) has a standard deviation of 10: 140..260 is six of them either side.
        failed.ShouldBeInRange(140, 260);
    }

    [Fact]
    public async Task Metrics_AfterHomeRequests_ExposeCumulativeHistogramAndProcessGauges()
    {
        await using var deployment = new SampleDeployment();
        deployment.AddRelease("v1", "none");
        await deployment.StartAsync("v1");
        var startedBefore = TimeProvider.System.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds();

        await GetHomeAsync(deployment, 30);
        using var response = await _http.GetAsync(new Uri(deployment.BaseUrl + "/metrics"));
        var scrape = await MetricsScrape.ReadAsync(_http, deployment.BaseUrl);

        response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        scrape.Text.ShouldContain("# TYPE http_request_duration_seconds histogram\n");
        scrape.Text.ShouldContain("# TYPE http_requests_total counter\n");
        var buckets = Buckets.Select(le => scrape.Value("http_request_duration_seconds_bucket", ("route", "/"), ("le", le))).ToList();
        buckets.ShouldBe(buckets.Order().ToList(), "cumulative buckets never decrease");
        buckets[^1].ShouldBe(30);
        scrape.Value("http_request_duration_seconds_count", ("route", "/")).ShouldBe(30);
        scrape.Value("http_request_duration_seconds_sum", ("route", "/")).ShouldBeGreaterThan(0);
        scrape.Value("http_requests_total", ("route", "/"), ("code", "200")).ShouldBe(30);
        scrape.Value("http_requests_total", ("route", "/health"), ("code", "200")).ShouldBeGreaterThanOrEqualTo(1);
        scrape.Named("http_requests_total").ShouldNotContain(s => s.Labels["route"] == "/metrics");
        scrape.Value("sample_release_info", ("version", "v1")).ShouldBe(1);
        scrape.Value("process_resident_memory_bytes").ShouldBeGreaterThan(1024 * 1024);
        scrape.Value("process_start_time_seconds").ShouldBeInRange(startedBefore - 600, startedBefore);
    }

    [Fact]
    public async Task Metrics_VersionWithQuoteBackslashAndNewline_EscapesTheLabelValue()
    {
        await using var deployment = new SampleDeployment();
        deployment.AddRelease("v1", new SampleFaults(), reportedVersion: "v1 \"rc\" \\ next\nline");
        await deployment.StartAsync("v1");

        var scrape = await MetricsScrape.ReadAsync(_http, deployment.BaseUrl);

        scrape.Text.ShouldContain("sample_release_info{version=\"v1 \\\"rc\\\" \\\\ next\\nline\"} 1\n");
        scrape.Value("sample_release_info", ("version", "v1 \"rc\" \\ next\nline")).ShouldBe(1);
    }

    [Fact]
    public async Task Home_AddedLatency200Ms_TakesAtLeast200MsAndLandsAboveTheTenthOfASecondBucket()
    {
        await using var deployment = new SampleDeployment();
        deployment.AddRelease("v1", new SampleFaults(AddedLatencyMs: 200));
        await deployment.StartAsync("v1");

        var started = TimeProvider.System.GetTimestamp();
        (await GetHomeAsync(deployment, 1)).ShouldBe([HttpStatusCode.OK]);
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        var scrape = await MetricsScrape.ReadAsync(_http, deployment.BaseUrl);

        elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200));
        scrape.Value("http_request_duration_seconds_bucket", ("route", "/"), ("le", "0.1")).ShouldBe(0);
        scrape.Value("http_request_duration_seconds_bucket", ("route", "/"), ("le", "+Inf")).ShouldBe(1);
        scrape.Value("http_request_duration_seconds_sum", ("route", "/")).ShouldBeGreaterThanOrEqualTo(0.2);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Sends <paramref name="count"/> requests to <c>/</c>, a few at a time, and returns their status codes.</summary>
    private async Task<HttpStatusCode[]> GetHomeAsync(SampleDeployment deployment, int count)
    {
        var codes = new HttpStatusCode[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            using var response = await _http.GetAsync(new Uri(deployment.BaseUrl + "/"), cancellationToken);
            codes[i] = response.StatusCode;
        });
        return codes;
    }
}
