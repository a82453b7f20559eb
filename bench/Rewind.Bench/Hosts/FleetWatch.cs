using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Rewind.Bench.Hosts;

/// <summary>What a host's service said on /health: its HTTP status and the version in its JSON.</summary>
internal sealed record HealthAnswer(int Status, string? Version);

internal static class HealthProbe
{
    /// <summary>The service's answer, or null when nothing answers (stopped, restarting).</summary>
    public static async Task<HealthAnswer?> VersionAsync(HttpClient http, int port, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"), cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<HealthBody>(cancellationToken);
            return new HealthAnswer((int)response.StatusCode, body?.Version);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private sealed record HealthBody([property: JsonPropertyName("version")] string? Version);
}

/// <summary>One host during a rollback: when its restart began (its wrapper's line) and when it first answered v1 healthy.</summary>
internal sealed record HostTiming(string Host, DateTimeOffset? RestartedAt, DateTimeOffset? HealthyAt);

/// <summary>
/// Watches every host from the start of a rollback until its service answers v1 with 200 on /health. A host is polled
/// (every 25 ms) only once its restart wrapper has written its line: before that it cannot be on v1, and twenty pollers
/// at once would load the two cores being measured.
/// </summary>
internal static class FleetWatch
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(25);

    public static Task<HostTiming[]> WatchAsync(HostsWorld world, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        return Task.WhenAll(world.Hosts.Select(h => HostAsync(world, http, h, limit, cancellationToken)))
            .ContinueWith(t => { http.Dispose(); return t.Result; }, TaskScheduler.Default);
    }

    private static async Task<HostTiming> HostAsync(HostsWorld world, HttpClient http, string host, TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        DateTimeOffset? restarted = null;
        while (clock.Elapsed < limit && !cancellationToken.IsCancellationRequested)
        {
            if (restarted is null && world.Restarts(host) is [var first, ..])
            {
                restarted = first;
            }

            if (restarted is not null && await HealthProbe.VersionAsync(http, world.Ports[host], cancellationToken) is { Status: 200, Version: "v1" })
            {
                return new HostTiming(host, restarted, DateTimeOffset.UtcNow);
            }

            try
            {
                await Task.Delay(Every, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return new HostTiming(host, restarted, null);
    }
}
