using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Storage;

namespace Rewind.Engine.Incidents;

/// <summary>
/// A person closes an incident, saying why: any open status may be resolved, but not while a rollback still acts for it.
/// If the controller moves the incident meanwhile, the rule is applied again to what it is now (three times at most).
/// </summary>
internal sealed class ResolveWorkflow(IStore store, TimeProvider time)
{
    /// <summary>Resolves <paramref name="id"/> with <paramref name="note"/> (required, trimmed by the caller) on behalf of <paramref name="by"/>.</summary>
    public async Task<Outcome<Incident>> ResolveAsync(string id, string by, string note, bool falsePositive, CancellationToken cancellationToken = default)
    {
        var verdict = falsePositive ? " as a false positive" : "";
        for (var attempt = 1; ; attempt++)
        {
            if (await store.GetIncidentAsync(id, cancellationToken) is not { } incident)
            {
                return Refusal.NotFound("unknown incident", $"incident {id} does not exist");
            }

            if (!incident.IsOpen)
            {
                return falsePositive && !incident.FalsePositive
                    ? await MarkFalsePositiveAsync(incident, by, note, cancellationToken)
                    : Refusal.Conflict("already resolved", $"incident {id} was resolved at {Timestamps.Format(incident.ResolvedAt)}{(incident.FalsePositive ? " as a false positive" : $"; to mark it a false positive, resolve it again with falsePositive (`rewind incident resolve {id} --false-positive --note TEXT`)")}");
            }

            if (await store.GetRollbacksAsync(1, incident.Component, cancellationToken) is [{ IsActive: true } active] && active.IncidentId == id)
            {
                return Refusal.Conflict("rollback still running", $"rollback {active.Id} is still acting for {id}; resolve it when the rollback has finished");
            }

            var entry = new TimelineEvent(id, time.GetUtcNow(), TimelineKinds.Resolved, $"resolved by {by}{verdict}: {note}", by);
            if (await store.MoveIncidentAsync(incident.Status, IncidentStatus.Resolved, entry, falsePositive, cancellationToken))
            {
                return Outcome<Incident>.Done((await store.GetIncidentAsync(id, cancellationToken))!);
            }

            if (attempt == 3)
            {
                return Refusal.Conflict("incident changed", $"incident {id} kept changing while it was being resolved; try again");
            }
        }
    }

    /// <summary>A resolved incident judged a false positive afterwards: recorded on its timeline, its resolution time kept.</summary>
    private async Task<Outcome<Incident>> MarkFalsePositiveAsync(Incident incident, string by, string note, CancellationToken cancellationToken)
    {
        var entry = new TimelineEvent(incident.Id, time.GetUtcNow(), TimelineKinds.Note, $"marked a false positive by {by} after its resolution: {note}", by);
        return await store.MarkFalsePositiveAsync(entry, cancellationToken)
            ? Outcome<Incident>.Done((await store.GetIncidentAsync(incident.Id, cancellationToken))!)
            : Refusal.Conflict("already resolved", $"incident {incident.Id} is already marked a false positive");
    }
}
