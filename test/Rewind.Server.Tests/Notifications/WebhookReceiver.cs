using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Notifications;

/// <summary>One request the receiver accepted: its delivery ID, event, parsed body, and whether the signature verified.</summary>
internal sealed record Delivery(string Id, string Event, JsonElement Body, bool SignatureValid, TimeSpan ArrivedAfter);

/// <summary>
/// A real webhook receiver on loopback that verifies signatures the way docs/operations.md tells receivers to, and can
/// be down (nothing listening, or answering 503) for a while.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly List<Delivery> _deliveries = [];
    private readonly byte[] _secret;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Time since the receiver started, on the clock its deliveries' <see cref="Delivery.ArrivedAfter"/> use.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;
    private LoopbackApp? _app;

    private WebhookReceiver(string secret, int port)
    {
        _secret = Encoding.UTF8.GetBytes(secret);
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>While true the receiver answers 503 and keeps nothing.</summary>
    public bool Failing { get; set; }

    /// <summary>Every request accepted, in arrival order (repeats included).</summary>
    public IReadOnlyList<Delivery> Deliveries
    {
        get
        {
            lock (_deliveries)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>Nothing listens until <see cref="StartAsync"/>: a client gets connection refused.</summary>
    public static WebhookReceiver Down(string secret) => new(secret, Runtime.Samples.SampleRelease.FreeLoopbackPort());

    public static async Task<WebhookReceiver> UpAsync(string secret)
    {
        var receiver = Down(secret);
        await receiver.StartAsync();
        return receiver;
    }

    public async Task StartAsync() => _app = await LoopbackApp.StartAsync(app => app.MapPost("/hook", ReceiveAsync), port: Port);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        if (Failing)
        {
            return Results.StatusCode(503);
        }

        var body = buffer.ToArray();
        var timestamp = request.Headers["X-Rewind-Timestamp"].ToString();
        var signature = request.Headers["X-Rewind-Signature"].ToString();
        // The documented check: HMAC-SHA256 with the secret over "<timestamp>.<raw body>", hex, compared in constant time.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_secret, (byte[])[.. Encoding.ASCII.GetBytes(timestamp + "."), .. body]));
        var fresh = long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && Math.Abs(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - seconds) <= 300;
        var valid = fresh && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
        var delivery = new Delivery(request.Headers["X-Rewind-Delivery"].ToString(), request.Headers["X-Rewind-Event"].ToString(), JsonDocument.Parse(body).RootElement.Clone(), valid, _clock.Elapsed);
        lock (_deliveries)
        {
            _deliveries.Add(delivery);
        }

        return Results.NoContent();
    }
}
