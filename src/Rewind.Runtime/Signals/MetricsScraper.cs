using System.Net.Sockets;
using Rewind.Core.Configuration;
using Rewind.Core.Signals.Metrics;

namespace Rewind.Runtime.Signals;

/// <summary>A scrape, or why there is none. A failed scrape is inconclusive, never healthy.</summary>
public sealed record ScrapeResult(Scrape? Scrape, string? Error)
{
    public bool Succeeded => Scrape is not null;
}

/// <summary>
/// Fetches a Prometheus text endpoint and parses it. Failures (refused, timeout, wrong status, too large) are values
/// with a short reason; only the caller's cancellation throws.
/// </summary>
public sealed class MetricsScraper(TimeProvider? timeProvider = null, HttpClient? httpClient = null)
{
    /// <summary>An exposition larger than this is refused rather than parsed. 8 MiB.</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly HttpClient _client = httpClient ?? HttpProbe.CreateClient();

    public async Task<ScrapeResult> ScrapeAsync(ScrapeConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var timeout = new CancellationTokenSource(config.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, config.Url);
            request.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new ScrapeResult(null, $"status {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                return new ScrapeResult(null, $"exposition larger than {MaxBytes} bytes");
            }

            var text = await response.Content.ReadAsStringAsync(linked.Token);
            if (text.Length > MaxBytes)
            {
                return new ScrapeResult(null, $"exposition larger than {MaxBytes} bytes");
            }

            var exposition = PrometheusText.Parse(text);
            return exposition.Samples.Count == 0 && exposition.Errors.Count > 0
                ? new ScrapeResult(null, "not a Prometheus text exposition: " + exposition.Errors[0])
                : new ScrapeResult(new Scrape(_time.GetUtcNow(), exposition), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ScrapeResult(null, $"timeout after {Durations.Format(config.Timeout)}");
        }
        catch (HttpRequestException ex)
        {
            return new ScrapeResult(null, ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? "connection refused" : ex.Message);
        }
    }
}
