using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Incidents;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Incidents;
using Rewind.Server.Access;

namespace Rewind.Server.Api;

internal static class IncidentEndpoints
{
    public static void MapIncidentEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/incidents", ListAsync);
        api.MapGet("/incidents/{id}", GetAsync);
        api.MapPost("/incidents/{id}/resolve", ResolveAsync).RequireAuthorization(Roles.Operator);
        api.MapIncidentLifecycleEndpoints();
        api.MapIncidentReportEndpoints();
        api.MapGet("/shadow-decisions", ShadowAsync);
    }

    private static async Task<Ok<List<IncidentDto>>> ListAsync(IStore store, ConfigHolder config, CancellationToken cancellationToken, int limit = 50)
    {
        var incidents = await store.GetIncidentsAsync(Math.Clamp(limit, 1, 500), cancellationToken);
        var rollbacks = await store.GetRollbacksAsync(500, null, cancellationToken);
        return TypedResults.Ok(incidents.Select(i => i.ToDto([], rollbacks.Where(r => r.IncidentId == i.Id).Select(r => r.Id), config.Current.Escalation)).ToList());
    }

    private static async Task<Ok<List<ShadowDecisionDto>>> ShadowAsync(IStore store, CancellationToken cancellationToken, string? component = null, int limit = 100) =>
        TypedResults.Ok((await store.GetShadowDecisionsAsync(Math.Clamp(limit, 1, 1000), component, cancellationToken))
            .Select(d => new ShadowDecisionDto(d.Component, d.Policy, d.Release, d.At, d.Action, d.Evidence)).ToList());

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> ResolveAsync(string id, ResolveIncidentRequest request, HttpContext context, ResolveWorkflow resolutions, IStore store, ConfigHolder config, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Note) || request.Note.Length > 4000)
        {
            return Problems.Invalid("invalid resolution", "note is required (at most 4000 characters): the record must say why the incident is over");
        }

        var outcome = await resolutions.ResolveAsync(id, AccessPolicies.Actor(context), request.Note.Trim(), request.FalsePositive, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : await GetAsync(id, store, config, cancellationToken);
    }

    /// <summary>Who acted, as the request says; no authentication yet.</summary>
    internal static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> GetAsync(string id, IStore store, ConfigHolder config, CancellationToken cancellationToken)
    {
        if (await store.GetIncidentAsync(id, cancellationToken) is not { } incident)
        {
            return Problems.NotFound("unknown incident", $"incident {id} does not exist");
        }

        var timeline = await store.GetTimelineAsync(id, cancellationToken);
        var rollbacks = await store.GetRollbacksAsync(500, incident.Component, cancellationToken);
        return TypedResults.Ok(incident.ToDto(timeline, rollbacks.Where(r => r.IncidentId == id).OrderBy(r => r.RequestedAt).Select(r => r.Id), config.Current.Escalation));
    }
}
