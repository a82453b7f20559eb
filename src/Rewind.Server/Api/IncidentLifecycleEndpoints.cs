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
using Rewind.Server.Hosting;
using Rewind.Server.Incidents;

namespace Rewind.Server.Api;

/// <summary>What people do to an incident besides resolving it: acknowledge, add notes, move its status forward, escalate.</summary>
internal static class IncidentLifecycleEndpoints
{
    public const int MaxNoteLength = 4000;

    public static void MapIncidentLifecycleEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/incidents/{id}/acknowledge", AcknowledgeAsync).RequireAuthorization(Roles.Operator);
        api.MapPost("/incidents/{id}/notes", AddNoteAsync).RequireAuthorization(Roles.Operator);
        api.MapPost("/incidents/{id}/status", SetStatusAsync).RequireAuthorization(Roles.Operator);
        api.MapPost("/incidents/{id}/escalate", EscalateAsync).RequireAuthorization(Roles.Operator);
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> AcknowledgeAsync(string id, AcknowledgeIncidentRequest request, HttpContext context, IStore store, ConfigHolder config, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetIncidentAsync(id, cancellationToken) is not { } incident)
        {
            return Problems.NotFound("unknown incident", $"incident {id} does not exist");
        }

        if (!incident.IsOpen)
        {
            return Problems.Conflict("already resolved", $"incident {id} was resolved at {incident.ResolvedAt:O}; there is nothing left to acknowledge");
        }

        var by = AccessPolicies.Actor(context);
        if (!await store.AcknowledgeIncidentAsync(new TimelineEvent(id, time.GetUtcNow(), TimelineKinds.Acknowledged, $"acknowledged by {by}", by), cancellationToken))
        {
            var acknowledged = await store.GetIncidentAsync(id, cancellationToken);
            return Problems.Conflict("already acknowledged", $"incident {id} was acknowledged by {acknowledged?.AcknowledgedBy} at {acknowledged?.AcknowledgedAt:O}");
        }

        return await IncidentEndpoints.GetAsync(id, store, config, cancellationToken);
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> AddNoteAsync(string id, IncidentNoteRequest request, HttpContext context, IStore store, ConfigHolder config, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > MaxNoteLength)
        {
            return Problems.Invalid("invalid note", $"text is required (at most {MaxNoteLength} characters)");
        }

        if (await store.GetIncidentAsync(id, cancellationToken) is null)
        {
            return Problems.NotFound("unknown incident", $"incident {id} does not exist");
        }

        var by = AccessPolicies.Actor(context);
        await store.AppendTimelineAsync(new TimelineEvent(id, time.GetUtcNow(), TimelineKinds.Note, request.Text.Trim(), by), cancellationToken);
        return await IncidentEndpoints.GetAsync(id, store, config, cancellationToken);
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> SetStatusAsync(string id, IncidentStatusRequest request, HttpContext context, IStore store, ConfigHolder config, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!IncidentLifecycle.TryParseSettable(request.Status, out var status))
        {
            return Problems.Invalid("invalid status", $"status '{request.Status}' is not one a person sets: use mitigating or monitoring, and POST /api/v1/incidents/{id}/resolve to resolve");
        }

        if (await store.GetIncidentAsync(id, cancellationToken) is not { } incident)
        {
            return Problems.NotFound("unknown incident", $"incident {id} does not exist");
        }

        if (IncidentLifecycle.Refusal(incident.Status, status) is { } refusal)
        {
            return Problems.Conflict("status refused", $"incident {id} cannot become {IncidentLifecycle.Describe(status)}: {refusal}");
        }

        var by = AccessPolicies.Actor(context);
        var entry = new TimelineEvent(id, time.GetUtcNow(), TimelineKinds.Status, $"status {IncidentLifecycle.Describe(incident.Status)} -> {IncidentLifecycle.Describe(status)} by {by}", by);
        if (!await store.MoveIncidentAsync(incident.Status, status, entry, cancellationToken: cancellationToken))
        {
            return Problems.Conflict("status refused", $"incident {id} changed meanwhile (it is no longer {IncidentLifecycle.Describe(incident.Status)}); read it again");
        }

        return await IncidentEndpoints.GetAsync(id, store, config, cancellationToken);
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> EscalateAsync(string id, EscalateIncidentRequest request, HttpContext context, IStore store, ConfigHolder config, Escalator escalator, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > MaxNoteLength)
        {
            return Problems.Invalid("invalid escalation", $"reason is required (at most {MaxNoteLength} characters): the people paged must know why");
        }

        if (await store.GetIncidentAsync(id, cancellationToken) is not { } incident)
        {
            return Problems.NotFound("unknown incident", $"incident {id} does not exist");
        }

        if (!incident.IsOpen)
        {
            return Problems.Conflict("already resolved", $"incident {id} was resolved at {incident.ResolvedAt:O}; there is nobody left to page");
        }

        await escalator.EscalateNowAsync(incident, request.Reason.Trim(), AccessPolicies.Actor(context), time.GetUtcNow(), cancellationToken);
        return await IncidentEndpoints.GetAsync(id, store, config, cancellationToken);
    }
}
