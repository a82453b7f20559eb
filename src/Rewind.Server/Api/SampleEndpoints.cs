using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;

namespace Rewind.Server.Api;

/// <summary><c>GET /api/v1/components/{name}/samples</c>: the recent history behind the dashboard's charts.</summary>
internal static class SampleEndpoints
{
    public static void MapSampleEndpoints(this IEndpointRouteBuilder api) => api.MapGet("/components/{name}/samples", GetAsync);

    private static async Task<Results<Ok<SignalHistoryDto>, ProblemHttpResult>> GetAsync(string name, ConfigHolder config, IStore store, TrafficBoard traffic, CancellationToken cancellationToken, int limit = 120)
    {
        if (config.Component(name) is not { } component)
        {
            return Problems.NotFound("unknown component", $"component {name} is not in the config");
        }

        limit = Math.Clamp(limit, 1, 1000);
        var probes = new List<ProbeSeriesDto>();
        foreach (var probe in component.Probes.Keys.Order(StringComparer.Ordinal))
        {
            var samples = await store.GetRecentSamplesAsync(name, probe, limit, cancellationToken);
            probes.Add(new ProbeSeriesDto(probe, [.. samples.Reverse().Select(s => new ProbePointDto(s.At, s.Success, Math.Round(s.LatencyMs, 2)))]));
        }

        var points = traffic.History(name).TakeLast(limit)
            .Select(p => new TrafficPointDto(p.At, p.Scrape, Math.Round(p.Delta.RequestRate, 3), Math.Round(p.Delta.ErrorRatio, 5)));
        return TypedResults.Ok(new SignalHistoryDto(name, probes, [.. points]));
    }
}
