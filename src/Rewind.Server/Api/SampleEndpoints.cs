using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;

namespace Rewind.Server.Api;

/// <summary>
/// <c>GET /api/v1/components/{name}/samples</c>: the history behind the dashboard's charts. Without a range, the newest
/// <c>limit</c> raw samples (default 120); with <c>window</c> (<c>1h</c>, <c>6h</c>, <c>24h</c>, <c>7d</c>, <c>30d</c>)
/// or <c>from</c>/<c>to</c>, points at <c>resolution</c> (<c>raw</c>, <c>1m</c>, <c>1h</c>; by default raw up to 1h,
/// minutes up to 24h, hours beyond) where that level is kept, coarser where it is not.
/// </summary>
internal static class SampleEndpoints
{
    /// <summary>Raw samples per probe in one ranged answer at most (the newest).</summary>
    private const int MaxRawPoints = 10_000;

    private static readonly Dictionary<string, TimeSpan> Windows = new(StringComparer.Ordinal)
    {
        ["1h"] = TimeSpan.FromHours(1),
        ["6h"] = TimeSpan.FromHours(6),
        ["24h"] = TimeSpan.FromHours(24),
        ["7d"] = TimeSpan.FromDays(7),
        ["30d"] = TimeSpan.FromDays(30),
    };

    public static void MapSampleEndpoints(this IEndpointRouteBuilder api) => api.MapGet("/components/{name}/samples", GetAsync);

    private static async Task<Results<Ok<SignalHistoryDto>, ProblemHttpResult>> GetAsync(
        string name,
        ConfigHolder config,
        IStore store,
        TrafficBoard traffic,
        SampleHistory history,
        TimeProvider time,
        CancellationToken cancellationToken,
        int? limit = null,
        string? window = null,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        string? resolution = null)
    {
        if (config.Component(name) is not { } component)
        {
            return Problems.NotFound("unknown component", $"component {name} is not in the config");
        }

        if (window is null && from is null && to is null && resolution is null)
        {
            return TypedResults.Ok(await RecentAsync(name, component, store, traffic, Math.Clamp(limit ?? 120, 1, 1000), cancellationToken));
        }

        if (Range(window, from, to, resolution, time.GetUtcNow()) is not ({ } start, { } end, { } finest))
        {
            return Problems.Invalid("invalid range", "give window (1h, 6h, 24h, 7d or 30d) or from and to (from before to, at most 400 days apart), and resolution raw, 1m or 1h if any");
        }

        var probes = new List<ProbeSeriesDto>();
        foreach (var probe in component.Probes.Keys.Order(StringComparer.Ordinal))
        {
            var points = await history.PointsAsync(new ProbeRange(name, probe, start, end), config.Current.Samples, finest, Math.Clamp(limit ?? MaxRawPoints, 1, MaxRawPoints), cancellationToken);
            probes.Add(new ProbeSeriesDto(probe, [.. points.Select(Point)]));
        }

        var scrapes = traffic.History(name).Where(p => p.At >= start && p.At < end)
            .Select(p => new TrafficPointDto(p.At, p.Scrape, Math.Round(p.Delta.RequestRate, 3), Math.Round(p.Delta.ErrorRatio, 5)));
        return TypedResults.Ok(new SignalHistoryDto(name, probes, [.. scrapes]) { From = start, To = end });
    }

    private static async Task<SignalHistoryDto> RecentAsync(string name, ComponentConfig component, IStore store, TrafficBoard traffic, int limit, CancellationToken cancellationToken)
    {
        var probes = new List<ProbeSeriesDto>();
        foreach (var probe in component.Probes.Keys.Order(StringComparer.Ordinal))
        {
            var samples = await store.GetRecentSamplesAsync(name, probe, limit, cancellationToken);
            probes.Add(new ProbeSeriesDto(probe, [.. samples.Reverse().Select(s => new ProbePointDto(s.At, s.Success, Math.Round(s.LatencyMs, 2), "raw", 1, s.Success ? 0 : 1, Math.Round(s.LatencyMs, 2)))]));
        }

        var points = traffic.History(name).TakeLast(limit)
            .Select(p => new TrafficPointDto(p.At, p.Scrape, Math.Round(p.Delta.RequestRate, 3), Math.Round(p.Delta.ErrorRatio, 5)));
        return new SignalHistoryDto(name, probes, [.. points]);
    }

    /// <summary>The range and the finest resolution asked for; nulls when the request is not a valid range.</summary>
    private static (DateTimeOffset? From, DateTimeOffset? To, SampleResolution? Finest) Range(string? window, DateTimeOffset? from, DateTimeOffset? to, string? resolution, DateTimeOffset now)
    {
        DateTimeOffset start;
        DateTimeOffset end;
        if (window is not null)
        {
            if (from is not null || to is not null || !Windows.TryGetValue(window, out var length))
            {
                return default;
            }

            (start, end) = (now - length, now);
        }
        else
        {
            (start, end) = (from ?? now - TimeSpan.FromHours(1), to ?? now);
        }

        if (start >= end || end - start > TimeSpan.FromDays(400))
        {
            return default;
        }

        var finest = resolution is null
            ? end - start <= TimeSpan.FromHours(1) ? SampleResolution.Raw : end - start <= TimeSpan.FromHours(24) ? SampleResolution.Minute : SampleResolution.Hour
            : SampleResolutions.Parse(resolution);
        return finest is null ? default : (start, end, finest);
    }

    private static ProbePointDto Point(SampleBucket bucket) => new(
        bucket.At,
        bucket.Failures == 0,
        Math.Round(bucket.LatencyMeanMs, 2),
        bucket.Resolution.Name(),
        bucket.Count,
        bucket.Failures,
        Math.Round(bucket.LatencyMaxMs, 2));
}
