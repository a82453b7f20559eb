using Rewind.Core.Approvals;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Runbooks;

namespace Rewind.Engine.Approvals;

/// <summary>
/// Approving or denying a rollback that waits for the authorisation matrix, or a running one held at an approval step
/// (<see cref="GateDecisions"/>). Any authenticated user may ask; the rule that covers the rollback (or the step) decides
/// whether their roles count and whether the two-person rule excludes them.
/// </summary>
internal sealed class ApprovalWorkflow(ConfigHolder config, IStore store, RollbackCoordinator coordinator, GateDecisions gates, RollbackTraces traces, TimeProvider time)
{
    public async Task<Outcome<Rollback>> DecideAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        var id = request.RollbackId;
        if (await store.GetRollbackAsync(id, cancellationToken) is not { } rollback)
        {
            return Refusal.NotFound("no such rollback", $"no rollback {id}");
        }

        if (rollback.Status != RollbackStatus.Awaiting)
        {
            return GateDecisions.WaitingGate(rollback) is { } gate ? await gates.DecideAsync(rollback, gate, request, cancellationToken)
                : Refusal.Conflict("not waiting for approval", $"{id} is {rollback.Status.ToString().ToLowerInvariant()}; only a rollback waiting for approval (or at an approval step) can be approved or denied");
        }

        if (request.Note is { Length: > 2000 })
        {
            return Refusal.Invalid("invalid decision", "note: at most 2000 characters");
        }

        var actor = request.Decider.Name;
        var severity = rollback.IncidentId is { } incidentId ? (await store.GetIncidentAsync(incidentId, cancellationToken))?.Severity ?? Severity.P2 : Severity.P2;
        var now = time.GetUtcNow();
        if (ApprovalMatrix.RuleFor(config.Current.Approvals, rollback.Component, severity, rollback.RequestedBy) is not { } matched)
        {
            await coordinator.ReleaseAsync(rollback, $"{id}: no approval rule covers it any more; it runs now (decided by {actor})", actor, cancellationToken);
            return await CurrentAsync(id, cancellationToken);
        }

        if (await DeciderCheck.RefusalAsync(matched.Rule, request.Approve, rollback.RequestedBy, request.Decider, request.Code, store, now, cancellationToken) is { } refusal)
        {
            return Refusal.Forbidden("not allowed to decide", refusal);
        }

        return await RecordAsync(rollback, matched.Rule, request, now, cancellationToken);
    }

    /// <summary>Stores the decision with its timeline entry; a denial cancels the rollback, the approval that completes the rule releases it.</summary>
    private async Task<Outcome<Rollback>> RecordAsync(Rollback rollback, ApprovalRuleConfig rule, ApprovalRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (id, actor, roles) = (rollback.Id, request.Decider.Name, request.Decider.Roles);
        var note = request.Note;
        var said = string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}";
        var approval = new Approval(id, actor, roles, request.Approve, now, note?.Trim() ?? "");
        var (satisfied, missing) = ApprovalMatrix.Evaluate(rule, rollback.RequestedBy, [.. await store.GetApprovalsAsync(id, cancellationToken), approval]);
        var entry = request.Approve && rollback.IncidentId is { } incident
            ? new TimelineEvent(incident, now, TimelineKinds.Decision, $"{id} approved by {actor} ({string.Join(", ", roles)}){said}{(satisfied ? "" : $"; still waiting for {missing}")}", actor)
            : null; // a denial's entry goes with the rollback's cancellation
        if (!await store.AddApprovalAsync(approval, entry, cancellationToken))
        {
            return Refusal.Conflict("already decided", $"{actor} has decided on {id} already");
        }

        if (!request.Approve)
        {
            await DenyAsync(rollback, actor, roles, said, now, cancellationToken);
            return await CurrentAsync(id, cancellationToken);
        }

        traces.Approved(id, actor);

        var approvals = await store.GetApprovalsAsync(id, cancellationToken); // as stored now: another approver may have decided meanwhile
        if (ApprovalMatrix.Evaluate(rule, rollback.RequestedBy, approvals).Satisfied)
        {
            await coordinator.ReleaseAsync(rollback, $"{id} has every approval it needs ({string.Join(", ", approvals.Where(a => a.Approved).Select(a => a.Approver))}); it runs now", actor, cancellationToken);
        }

        return await CurrentAsync(id, cancellationToken);
    }

    private async Task DenyAsync(Rollback rollback, string actor, IReadOnlyList<string> roles, string said, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entry = rollback.IncidentId is { } incident
            ? new TimelineEvent(incident, now, TimelineKinds.Decision, $"{rollback.Id} denied by {actor} ({string.Join(", ", roles)}){said}; nothing was touched", actor)
            : null;
        await store.DecideAwaitingRollbackAsync(rollback.Id, RollbackStatus.Cancelled, now, $"denied by {actor}{said}", entry, cancellationToken);
        traces.ApprovalEnded(rollback.Id, "denied");
    }

    private async Task<Outcome<Rollback>> CurrentAsync(string id, CancellationToken cancellationToken) =>
        Outcome<Rollback>.Done((await store.GetRollbackAsync(id, cancellationToken))!);
}
