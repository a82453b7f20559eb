using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rewind.Server.Tests;

/// <summary>A real health endpoint on loopback whose answer the test switches between healthy (200) and failing (503).</summary>
public sealed class SwitchableEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile bool _healthy;

    private SwitchableEndpoint(WebApplication app, bool healthy)
    {
        _app = app;
        _healthy = healthy;
    }

    public string Url { get; private set; } = "";

    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    public static async Task<SwitchableEndpoint> StartAsync(bool healthy)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new SwitchableEndpoint(app, healthy);
        app.MapGet("/health", () => endpoint.Healthy ? Results.Ok(new { status = "ok" }) : Results.StatusCode(503));
        await app.StartAsync();
        endpoint.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/health";
        return endpoint;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
