using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Approvals;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Server.Access;
using Rewind.Server.Hosting;
using Rewind.Server.Runbooks;

namespace Rewind.Server.Api;

/// <summary>
/// Approving or denying a rollback that waits for the authorisation matrix. Any authenticated user may ask; the rule
/// that covers the rollback decides whether their roles count and whether the two-person rule excludes them.
/// </summary>
internal static class ApprovalEndpoints
{
    public static void MapApprovalEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/rollbacks/{id}/approve", (string id, DecisionRequest? request, HttpContext context, ConfigHolder config, IStore store, RollbackCoordinator coordinator, TimeProvider time, CancellationToken cancellationToken) =>
            DecideAsync(id, approve: true, request?.Note, context, config, store, coordinator, time, cancellationToken));
        api.MapPost("/rollbacks/{id}/deny", (string id, DecisionRequest? request, HttpContext context, ConfigHolder config, IStore store, RollbackCoordinator coordinator, TimeProvider time, CancellationToken cancellationToken) =>
            DecideAsync(id, approve: false, request?.Note, context, config, store, coordinator, time, cancellationToken));
    }

    private static async Task<Results<Ok<RollbackDto>, ProblemHttpResult>> DecideAsync(
        string id, bool approve, string? note, HttpContext context, ConfigHolder config, IStore store, RollbackCoordinator coordinator, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetRollbackAsync(id, cancellationToken) is not { } rollback)
        {
            return Problems.NotFound("no such rollback", $"no rollback {id}");
        }

        if (rollback.Status != RollbackStatus.Awaiting)
        {
            return Problems.Conflict("not waiting for approval", $"{id} is {rollback.Status.ToString().ToLowerInvariant()}; only a rollback waiting for approval can be approved or denied");
        }

        if (note is { Length: > 2000 })
        {
            return Problems.Invalid("invalid decision", "note: at most 2000 characters");
        }

        var actor = AccessPolicies.Actor(context);
        var roles = AccessPolicies.RolesOf(context.User);
        var severity = rollback.IncidentId is { } incidentId ? (await store.GetIncidentAsync(incidentId, cancellationToken))?.Severity ?? Severity.P2 : Severity.P2;
        var now = time.GetUtcNow();
        if (ApprovalMatrix.RuleFor(config.Current.Approvals, rollback.Component, severity, rollback.RequestedBy) is not { } matched)
        {
            await coordinator.ReleaseAsync(rollback, $"{id}: no approval rule covers it any more; it runs now (decided by {actor})", actor, cancellationToken);
            return TypedResults.Ok((await store.GetRollbackAsync(id, cancellationToken))!.ToDto());
        }

        var requester = rollback.RequestedBy;
        // Whoever asked may withdraw their own request; anyone else needs a role the rule counts.
        var refusal = approve ? ApprovalMatrix.Refusal(matched.Rule, requester, actor, roles)
            : string.Equals(actor, requester, StringComparison.Ordinal) ? null : ApprovalMatrix.Refusal(matched.Rule, "", actor, roles);
        if (refusal is not null)
        {
            return TypedResults.Problem(refusal, statusCode: StatusCodes.Status403Forbidden, title: "not allowed to decide");
        }

        if (!await store.AddApprovalAsync(new Approval(id, actor, roles, approve, now, note?.Trim() ?? ""), cancellationToken))
        {
            return Problems.Conflict("already decided", $"{actor} has decided on {id} already");
        }

        var said = string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}";
        if (!approve)
        {
            await DenyAsync(rollback, actor, roles, said, store, now, cancellationToken);
            return TypedResults.Ok((await store.GetRollbackAsync(id, cancellationToken))!.ToDto());
        }

        var approvals = await store.GetApprovalsAsync(id, cancellationToken);
        var (satisfied, missing) = ApprovalMatrix.Evaluate(matched.Rule, requester, approvals);
        if (rollback.IncidentId is { } incident)
        {
            await store.AppendTimelineAsync(new TimelineEvent(incident, now, TimelineKinds.Decision, $"{id} approved by {actor} ({string.Join(", ", roles)}){said}{(satisfied ? "" : $"; still waiting for {missing}")}", actor), cancellationToken);
        }

        if (satisfied)
        {
            await coordinator.ReleaseAsync(rollback, $"{id} has every approval it needs ({string.Join(", ", approvals.Where(a => a.Approved).Select(a => a.Approver))}); it runs now", actor, cancellationToken);
        }

        return TypedResults.Ok((await store.GetRollbackAsync(id, cancellationToken))!.ToDto());
    }

    private static async Task DenyAsync(Rollback rollback, string actor, IReadOnlyList<string> roles, string said, IStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await store.DecideAwaitingRollbackAsync(rollback.Id, RollbackStatus.Cancelled, now, $"denied by {actor}{said}", cancellationToken) && rollback.IncidentId is { } incident)
        {
            await store.AppendTimelineAsync(new TimelineEvent(incident, now, TimelineKinds.Decision, $"{rollback.Id} denied by {actor} ({string.Join(", ", roles)}){said}; nothing was touched", actor), cancellationToken);
        }
    }

    /// <summary>Body of approve and deny: an optional note for the record.</summary>
    internal sealed record DecisionRequest(string? Note);
}
