using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Rewind.Bench.Pipeline;

/// <summary>One Alertmanager notification as it reached the receiver: when, and the alert's <c>startsAt</c> (when Prometheus fired it).</summary>
internal sealed record Notification(DateTimeOffset ReceivedAt, DateTimeOffset? FiredAt, string AlertName);

/// <summary>
/// The team's webhook endpoint, on loopback inside the benchmark's process: it notes the arrival time of the first
/// firing notification per path (<c>/typical</c>, <c>/tuned</c>, ...) and answers 200, as a chat or paging bridge would.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Notification> _first = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public WebhookReceiver(int port)
    {
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public Notification? FirstFiring(string path) => _first.TryGetValue(path, out var notification) ? notification : null;

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            var receivedAt = DateTimeOffset.UtcNow;
            try
            {
                using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
                Record(context.Request.Url?.AbsolutePath ?? "/", receivedAt, body.RootElement);
                context.Response.StatusCode = 200;
            }
            catch (JsonException)
            {
                context.Response.StatusCode = 400;
            }

            context.Response.Close();
        }
    }

    /// <summary>Alertmanager's webhook body: <c>{"status":"firing","alerts":[{"labels":{...},"startsAt":"..."}], ...}</c>.</summary>
    private void Record(string path, DateTimeOffset receivedAt, JsonElement body)
    {
        if (!body.TryGetProperty("status", out var status) || status.GetString() != "firing")
        {
            return;
        }

        DateTimeOffset? firedAt = null;
        var name = "";
        if (body.TryGetProperty("alerts", out var alerts) && alerts.ValueKind == JsonValueKind.Array && alerts.GetArrayLength() > 0)
        {
            var alert = alerts[0];
            firedAt = alert.TryGetProperty("startsAt", out var startsAt) && startsAt.TryGetDateTimeOffset(out var at) ? at : null;
            name = alert.TryGetProperty("labels", out var labels) && labels.TryGetProperty("alertname", out var alertName) ? alertName.GetString() ?? "" : "";
        }

        _first.TryAdd(path, new Notification(receivedAt, firedAt, name));
    }
}
