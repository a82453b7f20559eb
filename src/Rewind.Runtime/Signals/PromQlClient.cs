using System.Globalization;
using System.Net.Sockets;
using Rewind.Core.Configuration;

namespace Rewind.Runtime.Signals;

/// <summary>
/// Runs PromQL instant queries against a Prometheus server's HTTP API (<c>GET /api/v1/query</c>) and turns the answer
/// into one number. Failures (refused, timeout, an error from Prometheus, a malformed answer, several series) are values
/// with a short reason; only the caller's cancellation throws.
/// </summary>
public sealed class PromQlClient(TimeProvider? timeProvider = null, HttpClient? httpClient = null)
{
    /// <summary>An answer larger than this is refused rather than parsed. 8 MiB.</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly HttpClient _client = httpClient ?? HttpProbe.CreateClient();

    public async Task<QueryResult> QueryAsync(QueryConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var timeout = new CancellationTokenSource(config.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, QueryUrl(config));
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                return QueryResult.Failed($"answer larger than {MaxBytes} bytes");
            }

            var body = await response.Content.ReadAsStringAsync(linked.Token);
            if (body.Length > MaxBytes)
            {
                return QueryResult.Failed($"answer larger than {MaxBytes} bytes");
            }

            return PromQlResponse.Parse((int)response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return QueryResult.Failed($"timeout after {Durations.Format(config.Timeout)}");
        }
        catch (HttpRequestException ex)
        {
            return QueryResult.Failed(ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? "connection refused" : ex.Message);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UriFormatException)
        {
            return QueryResult.Failed(ex.Message);
        }
    }

    /// <summary>
    /// The instant-query URL: the base URL (a path prefix is kept), the URL-encoded query, and the timeout so that
    /// Prometheus stops evaluating when the controller stops waiting.
    /// </summary>
    public static Uri QueryUrl(QueryConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var seconds = config.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return new Uri($"{config.Prometheus.TrimEnd('/')}/api/v1/query?query={Uri.EscapeDataString(config.Promql)}&timeout={seconds}");
    }
}
