using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>
/// A real /metrics endpoint on loopback whose counters advance by 50 requests per scrape, of which
/// <see cref="ErrorsPerScrape"/> answered 500: traffic the test controls exactly.
/// </summary>
public sealed class MetricsEndpoint : IAsyncDisposable
{
    private LoopbackApp? _app;
    private long _ok;
    private long _errors;
    private int _scrapes;
    private int _errorsPerScrape;
    private int _slowPerScrape = -1;
    private bool _unavailable;
    private long _fast;
    private long _slow;

    public string Url => _app!.BaseUrl + "/metrics";

    public int ErrorsPerScrape
    {
        get => Volatile.Read(ref _errorsPerScrape);
        set => Volatile.Write(ref _errorsPerScrape, value);
    }

    public int Scrapes => Volatile.Read(ref _scrapes);

    /// <summary>Requests counted per scrape, errors included. Default 50.</summary>
    public int RequestsPerScrape { get; set; } = 50;

    /// <summary>
    /// With a value, a duration histogram is exposed: of each scrape's requests, this many took 100–250 ms and the
    /// rest under 100 ms. Null (the default): no histogram.
    /// </summary>
    public int? SlowPerScrape
    {
        get => _slowPerScrape < 0 ? null : _slowPerScrape;
        set => Volatile.Write(ref _slowPerScrape, value ?? -1);
    }

    /// <summary>While true, <c>/metrics</c> answers 503 and the counters do not move (a scrape lost to a busy process).</summary>
    public bool Unavailable
    {
        get => Volatile.Read(ref _unavailable);
        set => Volatile.Write(ref _unavailable, value);
    }

    /// <summary>Counts requests now, between scrapes: the next successful scrape reports them.</summary>
    public void Count(int ok, int errors)
    {
        Interlocked.Add(ref _ok, ok);
        Interlocked.Add(ref _errors, errors);
    }

    /// <summary>Added to the <c>disk_used_bytes</c> gauge at every scrape.</summary>
    public double GaugeStepPerScrape { get; set; }

    /// <summary>The process restarted: its counters start again from zero, as a real one's do.</summary>
    public void Restart()
    {
        Interlocked.Exchange(ref _ok, 0);
        Interlocked.Exchange(ref _errors, 0);
        Interlocked.Exchange(ref _fast, 0);
        Interlocked.Exchange(ref _slow, 0);
    }

    public static async Task<MetricsEndpoint> StartAsync(int errorsPerScrape)
    {
        var endpoint = new MetricsEndpoint { ErrorsPerScrape = errorsPerScrape };
        endpoint._app = await LoopbackApp.StartAsync(app => app.MapGet("/metrics", () => endpoint.Unavailable
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
            : Results.Text(endpoint.Next(), "text/plain; version=0.0.4")));
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private string Next()
    {
        var errors = ErrorsPerScrape;
        var ok = Interlocked.Add(ref _ok, Math.Max(0, RequestsPerScrape - errors));
        var failed = Interlocked.Add(ref _errors, errors);
        var scrapes = Interlocked.Increment(ref _scrapes);
        var text = string.Create(CultureInfo.InvariantCulture, $$"""
            # TYPE http_requests_total counter
            http_requests_total{route="/",code="200"} {{ok}}
            http_requests_total{route="/",code="500"} {{failed}}
            # TYPE disk_used_bytes gauge
            disk_used_bytes {{1000 + (scrapes * GaugeStepPerScrape)}}

            """);
        if (SlowPerScrape is not { } slowNow)
        {
            return text;
        }

        var slow = Interlocked.Add(ref _slow, Math.Min(slowNow, RequestsPerScrape));
        var fast = Interlocked.Add(ref _fast, Math.Max(0, RequestsPerScrape - slowNow));
        return text + string.Create(CultureInfo.InvariantCulture, $$"""
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{route="/",le="0.1"} {{fast}}
            http_request_duration_seconds_bucket{route="/",le="0.25"} {{fast + slow}}
            http_request_duration_seconds_bucket{route="/",le="0.5"} {{fast + slow}}
            http_request_duration_seconds_bucket{route="/",le="+Inf"} {{fast + slow}}
            http_request_duration_seconds_count{route="/"} {{fast + slow}}

            """);
    }
}
