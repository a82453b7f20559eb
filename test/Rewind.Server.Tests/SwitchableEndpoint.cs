using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>
/// A real health endpoint on loopback whose answer the test switches between healthy (200) and failing (503), that can
/// name a serving version, and which can be made slow (it answers after <see cref="Delay"/>, or when the caller gives up).
/// </summary>
public sealed class SwitchableEndpoint : IAsyncDisposable
{
    private volatile bool _healthy;
    private volatile string? _version;
    private long _delayTicks;
    private LoopbackApp? _app;

    public string Url => _app!.BaseUrl + "/health";

    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    /// <summary>When set, both answers carry it as <c>version</c>, as a service that names its release does. Default none.</summary>
    public string? Version
    {
        get => _version;
        set => _version = value;
    }

    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    public static async Task<SwitchableEndpoint> StartAsync(bool healthy)
    {
        var endpoint = new SwitchableEndpoint { Healthy = healthy };
        endpoint._app = await LoopbackApp.StartAsync(app => app.MapGet("/health", async (HttpContext context) =>
        {
            if (endpoint.Delay > TimeSpan.Zero)
            {
                try
                {
#pragma warning disable RS0030 // the endpoint's configured latency, not a wait of the test
                    await Task.Delay(endpoint.Delay, context.RequestAborted);
#pragma warning restore RS0030
                }
                catch (OperationCanceledException)
                {
                    return Results.Empty; // the caller gave up
                }
            }

            return (endpoint.Healthy, endpoint.Version) switch
            {
                (true, null) => Results.Ok(new { status = "ok" }),
                (false, null) => Results.StatusCode(503),
                (true, { } version) => Results.Json(new { status = "ok", version }),
                (false, { } version) => Results.Json(new { status = "failing", version }, statusCode: 503),
            };
        }));
        return endpoint;
    }

    /// <summary>Stops answering: connections are refused from now on. Safe to call again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.DisposeAsync();
        }
    }
}
