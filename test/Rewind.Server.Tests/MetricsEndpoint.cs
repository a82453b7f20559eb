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

    public string Url => _app!.BaseUrl + "/metrics";

    public int ErrorsPerScrape
    {
        get => Volatile.Read(ref _errorsPerScrape);
        set => Volatile.Write(ref _errorsPerScrape, value);
    }

    public int Scrapes => Volatile.Read(ref _scrapes);

    /// <summary>Requests counted per scrape, errors included. Default 50.</summary>
    public int RequestsPerScrape { get; set; } = 50;

    /// <summary>Added to the <c>disk_used_bytes</c> gauge at every scrape.</summary>
    public double GaugeStepPerScrape { get; set; }

    /// <summary>The process restarted: its counters start again from zero, as a real one's do.</summary>
    public void Restart()
    {
        Interlocked.Exchange(ref _ok, 0);
        Interlocked.Exchange(ref _errors, 0);
    }

    public static async Task<MetricsEndpoint> StartAsync(int errorsPerScrape)
    {
        var endpoint = new MetricsEndpoint { ErrorsPerScrape = errorsPerScrape };
        endpoint._app = await LoopbackApp.StartAsync(app => app.MapGet("/metrics", () => Results.Text(endpoint.Next(), "text/plain; version=0.0.4")));
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
        return string.Create(CultureInfo.InvariantCulture, $$"""
            # TYPE http_requests_total counter
            http_requests_total{route="/",code="200"} {{ok}}
            http_requests_total{route="/",code="500"} {{failed}}
            # TYPE disk_used_bytes gauge
            disk_used_bytes {{1000 + (scrapes * GaugeStepPerScrape)}}

            """);
    }
}
