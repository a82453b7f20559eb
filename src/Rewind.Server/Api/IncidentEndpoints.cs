using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Storage;

namespace Rewind.Server.Api;

internal static class IncidentEndpoints
{
    public static void MapIncidentEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/incidents", ListAsync);
        api.MapGet("/incidents/{id}", GetAsync);
    }

    private static async Task<Ok<List<IncidentDto>>> ListAsync(IStore store, CancellationToken cancellationToken, int limit = 50)
    {
        var incidents = await store.GetIncidentsAsync(Math.Clamp(limit, 1, 500), cancellationToken);
        var rollbacks = await store.GetRollbacksAsync(500, null, cancellationToken);
        return TypedResults.Ok(incidents.Select(i => i.ToDto([], rollbacks.Where(r => r.IncidentId == i.Id).Select(r => r.Id))).ToList());
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> GetAsync(string id, IStore store, CancellationToken cancellationToken)
    {
        if (await store.GetIncidentAsync(id, cancellationToken) is not { } incident)
        {
            return Problems.NotFound("unknown incident", $"incident {id} does not exist");
        }

        var timeline = await store.GetTimelineAsync(id, cancellationToken);
        var rollbacks = await store.GetRollbacksAsync(500, incident.Component, cancellationToken);
        return TypedResults.Ok(incident.ToDto(timeline, rollbacks.Where(r => r.IncidentId == id).OrderBy(r => r.RequestedAt).Select(r => r.Id)));
    }
}
