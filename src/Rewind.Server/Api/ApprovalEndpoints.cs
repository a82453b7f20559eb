using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Approvals;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Server.Access;
using Rewind.Server.Hosting;
using Rewind.Server.Runbooks;

namespace Rewind.Server.Api;

/// <summary>
/// Approving or denying a rollback that waits for the authorisation matrix, or a running one held at an approval step
/// (<see cref="GateDecisions"/>). Any authenticated user may ask; the rule that covers the rollback (or the step) decides
/// whether their roles count and whether the two-person rule excludes them.
/// </summary>
internal static class ApprovalEndpoints
{
    public static void MapApprovalEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/rollbacks/{id}/approve", (string id, DecisionRequest? request, HttpContext context, ConfigHolder config, IStore store, RollbackCoordinator coordinator, TimeProvider time, CancellationToken cancellationToken) =>
            DecideAsync(id, approve: true, request, context, config, store, coordinator, time, cancellationToken));
        api.MapPost("/rollbacks/{id}/deny", (string id, DecisionRequest? request, HttpContext context, ConfigHolder config, IStore store, RollbackCoordinator coordinator, TimeProvider time, CancellationToken cancellationToken) =>
            DecideAsync(id, approve: false, request, context, config, store, coordinator, time, cancellationToken));
    }

    private static async Task<Results<Ok<RollbackDto>, ProblemHttpResult>> DecideAsync(
        string id, bool approve, DecisionRequest? request, HttpContext context, ConfigHolder config, IStore store, RollbackCoordinator coordinator, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetRollbackAsync(id, cancellationToken) is not { } rollback)
        {
            return Problems.NotFound("no such rollback", $"no rollback {id}");
        }

        var note = request?.Note;
        if (rollback.Status != RollbackStatus.Awaiting)
        {
            return GateDecisions.WaitingGate(rollback) is { } gate ? await GateDecisions.DecideAsync(rollback, gate, approve, request, context, store, time, cancellationToken)
                : Problems.Conflict("not waiting for approval", $"{id} is {rollback.Status.ToString().ToLowerInvariant()}; only a rollback waiting for approval (or at an approval step) can be approved or denied");
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
        var refusal = await RefusalAsync(matched.Rule, approve, requester, actor, roles, request?.Code, store, now, cancellationToken);
        if (refusal is not null)
        {
            return TypedResults.Problem(refusal, statusCode: StatusCodes.Status403Forbidden, title: "not allowed to decide");
        }

        var said = string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}";
        var approval = new Approval(id, actor, roles, approve, now, note?.Trim() ?? "");
        var (satisfied, missing) = ApprovalMatrix.Evaluate(matched.Rule, requester, [.. await store.GetApprovalsAsync(id, cancellationToken), approval]);
        var entry = approve && rollback.IncidentId is { } incident
            ? new TimelineEvent(incident, now, TimelineKinds.Decision, $"{id} approved by {actor} ({string.Join(", ", roles)}){said}{(satisfied ? "" : $"; still waiting for {missing}")}", actor)
            : null; // a denial's entry goes with the rollback's cancellation
        if (!await store.AddApprovalAsync(approval, entry, cancellationToken))
        {
            return Problems.Conflict("already decided", $"{actor} has decided on {id} already");
        }

        if (!approve)
        {
            await DenyAsync(rollback, actor, roles, said, store, now, cancellationToken);
            return TypedResults.Ok((await store.GetRollbackAsync(id, cancellationToken))!.ToDto());
        }

        var approvals = await store.GetApprovalsAsync(id, cancellationToken); // as stored now: another approver may have decided meanwhile
        satisfied = ApprovalMatrix.Evaluate(matched.Rule, requester, approvals).Satisfied;
        if (satisfied)
        {
            await coordinator.ReleaseAsync(rollback, $"{id} has every approval it needs ({string.Join(", ", approvals.Where(a => a.Approved).Select(a => a.Approver))}); it runs now", actor, cancellationToken);
        }

        return TypedResults.Ok((await store.GetRollbackAsync(id, cancellationToken))!.ToDto());
    }

    private static async Task DenyAsync(Rollback rollback, string actor, IReadOnlyList<string> roles, string said, IStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entry = rollback.IncidentId is { } incident
            ? new TimelineEvent(incident, now, TimelineKinds.Decision, $"{rollback.Id} denied by {actor} ({string.Join(", ", roles)}){said}; nothing was touched", actor)
            : null;
        await store.DecideAwaitingRollbackAsync(rollback.Id, RollbackStatus.Cancelled, now, $"denied by {actor}{said}", entry, cancellationToken);
    }

    /// <summary>Whoever asked may withdraw their own request; anyone else needs a role the rule counts, and a second factor where it asks.</summary>
    internal static async Task<string?> RefusalAsync(ApprovalRuleConfig rule, bool approve, string requester, string actor, IReadOnlyList<string> roles, string? code, IStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!approve)
        {
            return string.Equals(actor, requester, StringComparison.Ordinal) ? null : ApprovalMatrix.Refusal(rule, "", actor, roles);
        }

        return ApprovalMatrix.Refusal(rule, requester, actor, roles)
            ?? (rule.SecondFactor ? await SecondFactorRefusalAsync(actor, code, store, now, cancellationToken) : null);
    }

    /// <summary>A current code of the approver's enrolled authenticator, each time step usable once.</summary>
    private static async Task<string?> SecondFactorRefusalAsync(string actor, string? code, IStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await store.GetTotpAsync(actor, cancellationToken) is not { } enrolled)
        {
            return $"this approval needs a second factor and {actor} has none: enrol with `rewind user totp`";
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            return "this approval needs a second factor: pass the code from your authenticator (--code)";
        }

        return Totp.Verify(enrolled.Secret, code.Trim(), now, enrolled.LastStep ?? long.MinValue) is { } step && await store.UseTotpStepAsync(actor, step, cancellationToken)
            ? null
            : "the second-factor code is wrong, expired or already used";
    }

    /// <summary>Body of approve and deny: an optional note for the record, and a TOTP code where the rule asks for one.</summary>
    internal sealed record DecisionRequest(string? Note, string? Code = null);
}
