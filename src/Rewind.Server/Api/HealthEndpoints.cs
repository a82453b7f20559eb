using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Storage;
using Rewind.Server.Hosting;

namespace Rewind.Server.Api;

internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/health", GetHealthAsync).AllowAnonymous();
    }

    private static async Task<Results<Ok<ControllerHealthDto>, ProblemHttpResult>> GetHealthAsync(IStore store, ConfigHolder config, ServerClock clock, CancellationToken cancellationToken)
    {
        var version = typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
        var kind = config.Current.Store.StartsWith("sqlite:", StringComparison.Ordinal) ? "sqlite" : "postgres";
        try
        {
            var latency = await store.PingAsync(cancellationToken);
            return TypedResults.Ok(new ControllerHealthDto("ok", version, kind, latency.TotalMilliseconds, clock.StartedAt, config.Current.Components.Count));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Problem($"the {kind} store does not answer: {ex.Message}", statusCode: StatusCodes.Status503ServiceUnavailable, title: "store unavailable");
        }
    }
}
