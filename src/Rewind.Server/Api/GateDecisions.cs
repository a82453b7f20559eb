using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Rewind.Client;
using Rewind.Core.Approvals;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Server.Access;

namespace Rewind.Server.Api;

/// <summary>
/// Decisions at an approval step: the same request as for the authorisation matrix, judged by the step's own rule and
/// stored for that step only. The decision is recorded here; the step's runner reads it (within a second) and passes the
/// gate, or fails the step on a denial, which fails the rollback and pages as any failed step does.
/// </summary>
internal static class GateDecisions
{
    /// <summary>The approval step a running rollback is held at, or null.</summary>
    public static RollbackStep? WaitingGate(Rollback rollback) =>
        rollback is { Status: RollbackStatus.Running, NextStep: { Status: StepStatus.Running, Plan: ApprovalStep } step } ? step : null;

    public static async Task<Results<Ok<RollbackDto>, ProblemHttpResult>> DecideAsync(
        Rollback rollback, RollbackStep gate, bool approve, ApprovalEndpoints.DecisionRequest? request, HttpContext context, IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request?.Note is { Length: > 2000 })
        {
            return Problems.Invalid("invalid decision", "note: at most 2000 characters");
        }

        var step = (ApprovalStep)gate.Plan;
        var rule = step.ToRule();
        var actor = AccessPolicies.Actor(context);
        var roles = AccessPolicies.RolesOf(context.User);
        var now = time.GetUtcNow();
        var at = $"{rollback.Id} step {gate.Index + 1}/{rollback.Steps.Count}";
        if (await ApprovalEndpoints.RefusalAsync(rule, approve, rollback.RequestedBy, actor, roles, request?.Code, store, now, cancellationToken) is { } refusal)
        {
            return TypedResults.Problem(refusal, statusCode: StatusCodes.Status403Forbidden, title: "not allowed to decide");
        }

        var note = request?.Note?.Trim() ?? "";
        var said = note.Length == 0 ? "" : $": {note}";
        var approval = new Approval(rollback.Id, actor, roles, approve, now, note);
        var (satisfied, missing) = ApprovalMatrix.Evaluate(rule, rollback.RequestedBy, [.. await store.GetGateApprovalsAsync(rollback.Id, gate.Index, cancellationToken), approval]);
        var message = approve
            ? $"{at} (approval) approved by {actor} ({string.Join(", ", roles)}){said}{(satisfied ? "; the gate passes" : $"; still waiting for {missing}")}"
            : $"{at} (approval) denied by {actor} ({string.Join(", ", roles)}){said}; the rollback stops at this gate";
        var entry = rollback.IncidentId is { } incident ? new TimelineEvent(incident, now, TimelineKinds.Decision, message, actor) : null;
        if (!await store.AddGateApprovalAsync(gate.Index, approval, entry, cancellationToken))
        {
            return Problems.Conflict("already decided", $"{actor} has decided on {at} already");
        }

        return TypedResults.Ok((await store.GetRollbackAsync(rollback.Id, cancellationToken))!.ToDto());
    }
}
