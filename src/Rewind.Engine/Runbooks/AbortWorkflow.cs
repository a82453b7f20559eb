using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;

namespace Rewind.Engine.Runbooks;

/// <summary>What an abort did: <see cref="Interrupted"/> when a pending or running rollback was asked to stop (it stops at its own pace), false when one waiting for approval was cancelled at once.</summary>
internal sealed record AbortResult(Rollback Rollback, bool Interrupted);

/// <summary>
/// Stops a rollback: one waiting for approval is cancelled at once; a pending or running one is asked to stop, durably,
/// and interrupted now if this controller runs it. The executor records where it stopped and pages a human.
/// </summary>
internal sealed class AbortWorkflow(IStore store, RollbackAborts aborts, RollbackTraces traces, TimeProvider time)
{
    /// <summary>Aborts <paramref name="id"/> for <paramref name="reason"/> (required, trimmed by the caller) on behalf of <paramref name="by"/>.</summary>
    public async Task<Outcome<AbortResult>> AbortAsync(string id, string by, string reason, CancellationToken cancellationToken = default)
    {
        if (await store.GetRollbackAsync(id, cancellationToken) is not { } rollback)
        {
            return Refusal.NotFound("unknown rollback", $"rollback {id} does not exist");
        }

        if (rollback.Status == RollbackStatus.Awaiting)
        {
            var entry = rollback.IncidentId is { } incident
                ? new TimelineEvent(incident, time.GetUtcNow(), TimelineKinds.Decision, $"{id} aborted by {by} while waiting for approval: {reason}; nothing was touched", by)
                : null;
            if (!await store.DecideAwaitingRollbackAsync(id, RollbackStatus.Cancelled, time.GetUtcNow(), $"aborted by {by}: {reason}; nothing was touched", entry, cancellationToken))
            {
                return Refusal.Conflict("rollback changed", $"rollback {id} is no longer waiting for approval; read it again");
            }

            traces.ApprovalEnded(id, "aborted");

            return Outcome<AbortResult>.Done(new AbortResult((await store.GetRollbackAsync(id, cancellationToken))!, Interrupted: false));
        }

        if (!rollback.IsActive)
        {
            return Refusal.Conflict("rollback finished", $"rollback {id} is {rollback.Status.ToString().ToLowerInvariant()} already; there is nothing to stop");
        }

        if (!await store.RequestAbortAsync(id, by, reason, cancellationToken))
        {
            var now = await store.GetRollbackAsync(id, cancellationToken);
            return now is { AbortRequestedBy: { } asker }
                ? Refusal.Conflict("abort already requested", $"{asker} asked to abort {id} already: {now.AbortReason}")
                : Refusal.Conflict("rollback finished", $"rollback {id} finished meanwhile ({now?.Status.ToString().ToLowerInvariant()})");
        }

        aborts.Signal(id);
        return Outcome<AbortResult>.Done(new AbortResult((await store.GetRollbackAsync(id, cancellationToken))!, Interrupted: true));
    }
}
