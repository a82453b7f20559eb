using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>A real health endpoint on loopback whose answer the test switches between healthy (200) and failing (503).</summary>
public sealed class SwitchableEndpoint : IAsyncDisposable
{
    private volatile bool _healthy;
    private LoopbackApp? _app;

    public string Url => _app!.BaseUrl + "/health";

    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    public static async Task<SwitchableEndpoint> StartAsync(bool healthy)
    {
        var endpoint = new SwitchableEndpoint { Healthy = healthy };
        endpoint._app = await LoopbackApp.StartAsync(app => app.MapGet("/health", () => endpoint.Healthy ? Results.Ok(new { status = "ok" }) : Results.StatusCode(503)));
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
