using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Incidents;
using Rewind.Core.Storage;
using Rewind.Engine;
using Rewind.Engine.Hosting;
using Rewind.Engine.Incidents;
using Rewind.Server.Access;

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

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> AcknowledgeAsync(string id, AcknowledgeIncidentRequest request, HttpContext context, IncidentLifecycleWorkflow incidents, IStore store, ConfigHolder config, CancellationToken cancellationToken) =>
        await AnswerAsync(id, await incidents.AcknowledgeAsync(id, AccessPolicies.Actor(context), cancellationToken), store, config, cancellationToken);

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> AddNoteAsync(string id, IncidentNoteRequest request, HttpContext context, IncidentLifecycleWorkflow incidents, IStore store, ConfigHolder config, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > MaxNoteLength)
        {
            return Problems.Invalid("invalid note", $"text is required (at most {MaxNoteLength} characters)");
        }

        return await AnswerAsync(id, await incidents.AddNoteAsync(id, AccessPolicies.Actor(context), request.Text.Trim(), cancellationToken), store, config, cancellationToken);
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> SetStatusAsync(string id, IncidentStatusRequest request, HttpContext context, IncidentLifecycleWorkflow incidents, IStore store, ConfigHolder config, CancellationToken cancellationToken)
    {
        if (!IncidentLifecycle.TryParseSettable(request.Status, out var status))
        {
            return Problems.Invalid("invalid status", $"status '{request.Status}' is not one a person sets: use mitigating or monitoring, and POST /api/v1/incidents/{id}/resolve to resolve");
        }

        return await AnswerAsync(id, await incidents.SetStatusAsync(id, status, AccessPolicies.Actor(context), cancellationToken), store, config, cancellationToken);
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> EscalateAsync(string id, EscalateIncidentRequest request, HttpContext context, IncidentLifecycleWorkflow incidents, IStore store, ConfigHolder config, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > MaxNoteLength)
        {
            return Problems.Invalid("invalid escalation", $"reason is required (at most {MaxNoteLength} characters): the people paged must know why");
        }

        return await AnswerAsync(id, await incidents.EscalateAsync(id, AccessPolicies.Actor(context), request.Reason.Trim(), cancellationToken), store, config, cancellationToken);
    }

    /// <summary>The incident as it is now with its timeline, or the workflow's refusal.</summary>
    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> AnswerAsync(string id, Outcome<Incident> outcome, IStore store, ConfigHolder config, CancellationToken cancellationToken) =>
        outcome.Refusal is { } refusal ? Problems.From(refusal) : await IncidentEndpoints.GetAsync(id, store, config, cancellationToken);
}
