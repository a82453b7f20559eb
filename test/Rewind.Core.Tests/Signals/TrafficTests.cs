using Rewind.Core.Signals.Metrics;

namespace Rewind.Core.Tests.Signals;

public sealed class TrafficTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public void Between_NormalScrapes_CountsRequestsErrorsAndRates()
    {
        var delta = Traffic.Between(Scrape(0, ok: 1000, errors: 5), Scrape(2, ok: 1090, errors: 15), new TrafficSelector(), Interval);

        (delta.Requests, delta.Errors, delta.Reset).ShouldBe((100, 10, false));
        delta.RequestRate.ShouldBe(50);
        delta.ErrorRatio.ShouldBe(0.1);
        delta.Gap.ShouldBeFalse();
    }

    [Fact]
    public void Between_CounterWentBack_CountsFromZeroAndSaysReset()
    {
        var delta = Traffic.Between(Scrape(0, ok: 1000, errors: 50), Scrape(1, ok: 40, errors: 2), new TrafficSelector(), Interval);

        (delta.Requests, delta.Errors, delta.Reset).ShouldBe((42, 2, true));
    }

    [Fact]
    public void Between_NewProcessThatAlreadyPassedTheOldCount_IsAResetByStartTime()
    {
        var delta = Traffic.Between(Scrape(0, ok: 10, errors: 0, start: 100), Scrape(5, ok: 30, errors: 1, start: 104), new TrafficSelector(), Interval);

        (delta.Requests, delta.Errors, delta.Reset).ShouldBe((31, 1, true));
    }

    [Fact]
    public void Between_FirstErrorSeriesAppears_CountsItsValue()
    {
        var previous = new Scrape(T0, PrometheusText.Parse("http_requests_total{code=\"200\"} 100\n"));
        var current = new Scrape(T0.AddSeconds(1), PrometheusText.Parse("http_requests_total{code=\"200\"} 140\nhttp_requests_total{code=\"503\"} 7\n"));

        var delta = Traffic.Between(previous, current, new TrafficSelector(), Interval);

        (delta.Requests, delta.Errors).ShouldBe((47, 7));
    }

    [Fact]
    public void Between_ScrapesFarApart_KeepsTheCountsAndFlagsTheGap()
    {
        var delta = Traffic.Between(Scrape(0, ok: 0, errors: 0), Scrape(10, ok: 500, errors: 0), new TrafficSelector(), Interval);

        delta.Requests.ShouldBe(500);
        delta.Gap.ShouldBeTrue();
        delta.Describe().ShouldBe("500 requests in 10s (50/s), 0 errors (0 %), 0 slow; scrape gap");
    }

    [Fact]
    public void Between_LatencyObjective_CountsRequestsSlowerThanItsBucket()
    {
        var selector = new TrafficSelector(LatencyObjectiveSeconds: 0.25);
        var previous = new Scrape(T0, PrometheusText.Parse(Histogram(fast: 100, total: 100) + "http_requests_total{code=\"200\"} 100\n"));
        var current = new Scrape(T0.AddSeconds(1), PrometheusText.Parse(Histogram(fast: 140, total: 160) + "http_requests_total{code=\"200\"} 160\n"));

        var delta = Traffic.Between(previous, current, selector, Interval);

        (delta.Requests, delta.Slow, delta.Bad).ShouldBe((60, 20, 20));
        delta.BadRatio.ShouldBe(20.0 / 60);
    }

    [Fact]
    public void Quantile_InterpolatesInsideTheBucket()
    {
        var buckets = HistogramQuantile.Buckets(PrometheusText.Parse(Histogram(fast: 80, total: 100)), "http_request_duration_seconds");

        HistogramQuantile.Of(0.5, buckets)!.Value.ShouldBe(0.25 * 50 / 80, tolerance: 1e-9);
        HistogramQuantile.Of(0.95, buckets)!.Value.ShouldBe(0.5 + (0.5 * 0.75), tolerance: 1e-9);
        HistogramQuantile.Of(0.5, []).ShouldBeNull();
    }

    private static string Histogram(int fast, int total) => $$"""
        http_request_duration_seconds_bucket{le="0.25"} {{fast}}
        http_request_duration_seconds_bucket{le="0.5"} {{fast}}
        http_request_duration_seconds_bucket{le="1"} {{total}}
        http_request_duration_seconds_bucket{le="+Inf"} {{total}}
        http_request_duration_seconds_count {{total}}

        """;

    private static Scrape Scrape(int second, int ok, int errors, int? start = null) => new(
        T0.AddSeconds(second),
        PrometheusText.Parse($"http_requests_total{{route=\"/\",code=\"200\"}} {ok}\nhttp_requests_total{{route=\"/\",code=\"500\"}} {errors}\n" + (start is { } s ? $"process_start_time_seconds {s}\n" : "")));
}
