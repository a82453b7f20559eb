using System.Net;
using System.Net.Sockets;
using Rewind.Core.Configuration;

namespace Rewind.Runtime.Notifications;

/// <summary>One POST with a timeout, its outcome as a value: 2xx is delivered, anything else says why not.</summary>
public static class HttpDelivery
{
    internal static async Task<NotifyResult> PostAsync(HttpClient http, HttpRequestMessage request, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return response.IsSuccessStatusCode
                ? NotifyResult.Ok
                : NotifyResult.Failed($"status {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return NotifyResult.Failed($"timeout after {Durations.Format(timeout)}");
        }
        catch (HttpRequestException ex)
        {
            return NotifyResult.Failed(ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
                ? "connection refused"
                : $"request failed: {ex.Message}");
        }
    }

    /// <summary>A client for notifications: no redirects (a webhook that moved must be reconfigured, not followed), no proxy.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
