using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rewind.Server.Tests;

/// <summary>
/// A real /metrics endpoint on loopback whose counters advance by 50 requests per scrape, of which
/// <see cref="ErrorsPerScrape"/> answered 500: traffic the test controls exactly.
/// </summary>
public sealed class MetricsEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _ok;
    private long _errors;
    private int _scrapes;

    private MetricsEndpoint(WebApplication app)
    {
        _app = app;
    }

    public string Url { get; private set; } = "";

    private int _errorsPerScrape;

    public int ErrorsPerScrape
    {
        get => Volatile.Read(ref _errorsPerScrape);
        set => Volatile.Write(ref _errorsPerScrape, value);
    }

    public int Scrapes => Volatile.Read(ref _scrapes);

    public static async Task<MetricsEndpoint> StartAsync(int errorsPerScrape)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new MetricsEndpoint(app) { ErrorsPerScrape = errorsPerScrape };
        app.MapGet("/metrics", () => Results.Text(endpoint.Next(), "text/plain; version=0.0.4"));
        await app.StartAsync();
        endpoint.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/metrics";
        return endpoint;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Next()
    {
        var errors = ErrorsPerScrape;
        var ok = Interlocked.Add(ref _ok, 50 - errors);
        var failed = Interlocked.Add(ref _errors, errors);
        Interlocked.Increment(ref _scrapes);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            # TYPE http_requests_total counter
            http_requests_total{route="/",code="200"} {{ok}}
            http_requests_total{route="/",code="500"} {{failed}}

            """);
    }
}
