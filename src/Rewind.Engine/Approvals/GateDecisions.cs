using Rewind.Core.Approvals;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;

namespace Rewind.Engine.Approvals;

/// <summary>
/// Decisions at an approval step: the same request as for the authorisation matrix, judged by the step's own rule and
/// stored for that step only. The decision is recorded here; the step's runner reads it (within a second) and passes the
/// gate, or fails the step on a denial, which fails the rollback and pages as any failed step does.
/// </summary>
internal sealed class GateDecisions(IStore store, TimeProvider time)
{
    /// <summary>The approval step a running rollback is held at, or null.</summary>
    public static RollbackStep? WaitingGate(Rollback rollback) =>
        rollback is { Status: RollbackStatus.Running, NextStep: { Status: StepStatus.Running, Plan: ApprovalStep } step } ? step : null;

    public async Task<Outcome<Rollback>> DecideAsync(Rollback rollback, RollbackStep gate, ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Note is { Length: > 2000 })
        {
            return Refusal.Invalid("invalid decision", "note: at most 2000 characters");
        }

        var step = (ApprovalStep)gate.Plan;
        var rule = step.ToRule();
        var (actor, roles) = (request.Decider.Name, request.Decider.Roles);
        var now = time.GetUtcNow();
        var at = $"{rollback.Id} step {gate.Index + 1}/{rollback.Steps.Count}";
        if (await DeciderCheck.RefusalAsync(rule, request.Approve, rollback.RequestedBy, request.Decider, request.Code, store, now, cancellationToken) is { } refusal)
        {
            return Refusal.Forbidden("not allowed to decide", refusal);
        }

        var note = request.Note?.Trim() ?? "";
        var said = note.Length == 0 ? "" : $": {note}";
        var approval = new Approval(rollback.Id, actor, roles, request.Approve, now, note);
        var (satisfied, missing) = ApprovalMatrix.Evaluate(rule, rollback.RequestedBy, [.. await store.GetGateApprovalsAsync(rollback.Id, gate.Index, cancellationToken), approval]);
        var message = request.Approve
            ? $"{at} (approval) approved by {actor} ({string.Join(", ", roles)}){said}{(satisfied ? "; the gate passes" : $"; still waiting for {missing}")}"
            : $"{at} (approval) denied by {actor} ({string.Join(", ", roles)}){said}; the rollback stops at this gate";
        var entry = rollback.IncidentId is { } incident ? new TimelineEvent(incident, now, TimelineKinds.Decision, message, actor) : null;
        if (!await store.AddGateApprovalAsync(gate.Index, approval, entry, cancellationToken))
        {
            return Refusal.Conflict("already decided", $"{actor} has decided on {at} already");
        }

        return Outcome<Rollback>.Done((await store.GetRollbackAsync(rollback.Id, cancellationToken))!);
    }
}
