using System.Net.Sockets;
using System.Text.Json;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;

namespace Rewind.Runtime.Signals;

/// <summary>
/// Runs HTTP probes. A failing endpoint (refused, slow, wrong status, wrong body) is a failed <see cref="ProbeSample"/>
/// with a short reason, never an exception; only the caller's cancellation throws.
/// </summary>
/// <remarks>
/// Redirects are not followed: a probe judges the URL it names. One <see cref="HttpClient"/> is shared by all probes;
/// its pooled connections are reused between runs and live briefly so that a restarted service is reached on fresh
/// connections. HTTPS probes that
/// judge the certificate themselves (<c>min-cert-days</c>, <c>insecure-skip-verify</c>) share a client per endpoint that
/// remembers the certificate of its newest connection; with pooled connections the certificate is seen at most 15 s late.
/// </remarks>
public sealed class HttpProbe(TimeProvider? timeProvider = null, HttpClient? httpClient = null) : IProbe
{
    /// <summary>Bodies are read only for a JSON field check, and only up to 1 MiB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private static readonly Lazy<HttpClient> Shared = new(CreateClient);

    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;
    private readonly HttpClient _client = httpClient ?? Shared.Value;

    /// <summary>Connections the shared client keeps to one server at most: as many as the probe scheduler runs at once by default, so a probe never waits for a connection inside its own timeout unless more runs than that aim at one server.</summary>
    public const int MaxConnectionsPerServer = 256;

    /// <summary>The client every probe shares unless given another: no proxy, no redirects, 15 s connection lifetime, at most <see cref="MaxConnectionsPerServer"/> connections to one server.</summary>
    public static HttpClient CreateClient() => CreateClient(CreateHandler());

    internal static HttpClient CreateClient(SocketsHttpHandler handler) => new(handler)
    {
        // Each run has its own timeout from the probe's config.
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    internal static SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromSeconds(15),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        MaxConnectionsPerServer = HttpProbe.MaxConnectionsPerServer,
    };

    public async Task<ProbeSample> RunAsync(string component, string probe, ProbeConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var at = _timeProvider.GetUtcNow();
        var started = _timeProvider.GetTimestamp();
        if (config.Http is not { } http)
        {
            return Sample(false, "not an http probe");
        }

        using var timeout = new CancellationTokenSource(config.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        CertificateClient? certificates = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, http.Url);
            if ((http.MinCertDays is not null || http.InsecureSkipVerify) && request.RequestUri!.Scheme == Uri.UriSchemeHttps)
            {
                certificates = CertificateClient.For(request.RequestUri, http.InsecureSkipVerify);
            }

            using var response = await (certificates?.Client ?? _client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var (mismatch, version) = await CheckAsync(http, response, certificates, linked.Token);
            if (mismatch is not null)
            {
                return Sample(false, mismatch) with { Version = version };
            }

            var took = _timeProvider.GetElapsedTime(started);
            return (http.MaxLatency is { } limit && took > limit
                ? Sample(false, $"slow: {Durations.Format(took)}, at most {Durations.Format(limit)}")
                : Sample(true, null)) with { Version = version };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Sample(false, "timeout after " + Durations.Format(config.Timeout));
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.SecureConnectionError && certificates?.Last?.Problem is { } problem)
        {
            return Sample(false, problem);
        }
        catch (HttpRequestException ex)
        {
            return Sample(false, Describe(ex, Where(http.Url)));
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UriFormatException)
        {
            return Sample(false, ex.Message);
        }

        ProbeSample Sample(bool success, string? error) =>
            new(component, probe, at, success, _timeProvider.GetElapsedTime(started).TotalMilliseconds, success ? null : error);
    }

    /// <summary>
    /// Null when the response passes every check the probe asks for, else the first reason it does not; with the
    /// serving version the answer names when the probe is its component's version source.
    /// </summary>
    private async ValueTask<(string? Mismatch, string? Version)> CheckAsync(HttpProbeConfig http, HttpResponseMessage response, CertificateClient? certificates, CancellationToken cancellationToken)
    {
        if (http.VersionField is null)
        {
            return (await CheckBodyAsync(http, response, certificates, null, cancellationToken), null);
        }

        var body = await ReadBoundedAsync(response.Content, cancellationToken);
        var version = body is null ? null : JsonFieldCheck.Read(body, http.VersionField);
        return (await CheckBodyAsync(http, response, certificates, body, cancellationToken), version);
    }

    private async ValueTask<string?> CheckBodyAsync(HttpProbeConfig http, HttpResponseMessage response, CertificateClient? certificates, byte[]? read, CancellationToken cancellationToken)
    {
        if (http.MinCertDays is { } minDays && certificates is not null)
        {
            var expiring = certificates.Last is { } certificate ? certificate.CheckDaysLeft(minDays, _timeProvider.GetUtcNow()) : "no server certificate seen";
            if (expiring is not null)
            {
                return expiring;
            }
        }

        if ((int)response.StatusCode != http.ExpectStatus)
        {
            return $"status {(int)response.StatusCode}, expected {http.ExpectStatus}";
        }

        if (http.JsonField is null && http.BodyMatches is null)
        {
            return null;
        }

        var body = read ?? await ReadBoundedAsync(response.Content, cancellationToken);
        if (body is null)
        {
            return "body over 1 MiB";
        }

        return (http.JsonField is { } field ? JsonFieldCheck.Check(body, field) : null) ?? BodyCheck.Check(body, http.BodyMatches);
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>What went wrong, naming the URL it went wrong at (a wrong host or port shows in the evidence).</summary>
    private static string Describe(HttpRequestException ex, string url)
    {
        if (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return $"connection refused: {url}";
        }

        return ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"name resolution failed: {url}",
            HttpRequestError.ConnectionError => $"connection failed: {ex.InnerException?.Message ?? ex.Message} ({url})",
            HttpRequestError.ResponseEnded => $"connection closed before the response ended ({url})",
            HttpRequestError.SecureConnectionError => $"TLS failed: {ex.InnerException?.Message ?? ex.Message} ({url})",
            _ => $"{ex.Message} ({url})",
        };
    }

    /// <summary>The probed URL as evidence shows it: scheme, host, port and path; never user info or a query, which may carry secrets.</summary>
    private static string Where(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : url;
}
