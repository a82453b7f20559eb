using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Storage;

namespace Rewind.Engine.Incidents;

/// <summary>
/// What a person does to an open incident besides resolving it (<see cref="ResolveWorkflow"/>): acknowledge it once, add
/// a note, move its status forward, page the next level now. Each change is written with its timeline entry.
/// </summary>
internal sealed class IncidentLifecycleWorkflow(IStore store, Escalator escalator, TimeProvider time)
{
    public async Task<Outcome<Incident>> AcknowledgeAsync(string id, string by, CancellationToken cancellationToken = default)
    {
        if (await store.GetIncidentAsync(id, cancellationToken) is not { } incident)
        {
            return Unknown(id);
        }

        if (!incident.IsOpen)
        {
            return Refusal.Conflict("already resolved", $"incident {id} was resolved at {Timestamps.Format(incident.ResolvedAt)}; there is nothing left to acknowledge");
        }

        if (!await store.AcknowledgeIncidentAsync(new TimelineEvent(id, time.GetUtcNow(), TimelineKinds.Acknowledged, $"acknowledged by {by}", by), cancellationToken))
        {
            var acknowledged = await store.GetIncidentAsync(id, cancellationToken);
            return Refusal.Conflict("already acknowledged", $"incident {id} was acknowledged by {acknowledged?.AcknowledgedBy} at {Timestamps.Format(acknowledged?.AcknowledgedAt)}");
        }

        return await CurrentAsync(id, cancellationToken);
    }

    /// <summary>Adds <paramref name="text"/> (required, trimmed by the caller) to the timeline.</summary>
    public async Task<Outcome<Incident>> AddNoteAsync(string id, string by, string text, CancellationToken cancellationToken = default)
    {
        if (await store.GetIncidentAsync(id, cancellationToken) is null)
        {
            return Unknown(id);
        }

        await store.AppendTimelineAsync(new TimelineEvent(id, time.GetUtcNow(), TimelineKinds.Note, text, by), cancellationToken);
        return await CurrentAsync(id, cancellationToken);
    }

    /// <summary>Moves the incident forward to <paramref name="status"/> (mitigating or monitoring, never back).</summary>
    public async Task<Outcome<Incident>> SetStatusAsync(string id, IncidentStatus status, string by, CancellationToken cancellationToken = default)
    {
        if (await store.GetIncidentAsync(id, cancellationToken) is not { } incident)
        {
            return Unknown(id);
        }

        if (IncidentLifecycle.Refusal(incident.Status, status) is { } refusal)
        {
            return Refusal.Conflict("status refused", $"incident {id} cannot become {IncidentLifecycle.Describe(status)}: {refusal}");
        }

        var entry = new TimelineEvent(id, time.GetUtcNow(), TimelineKinds.Status, $"status {IncidentLifecycle.Describe(incident.Status)} -> {IncidentLifecycle.Describe(status)} by {by}", by);
        if (!await store.MoveIncidentAsync(incident.Status, status, entry, cancellationToken: cancellationToken))
        {
            return Refusal.Conflict("status refused", $"incident {id} changed meanwhile (it is no longer {IncidentLifecycle.Describe(incident.Status)}); read it again");
        }

        return await CurrentAsync(id, cancellationToken);
    }

    /// <summary>Pages the next level of the incident's escalation policy now, for <paramref name="reason"/> (required, trimmed by the caller).</summary>
    public async Task<Outcome<Incident>> EscalateAsync(string id, string by, string reason, CancellationToken cancellationToken = default)
    {
        if (await store.GetIncidentAsync(id, cancellationToken) is not { } incident)
        {
            return Unknown(id);
        }

        if (!incident.IsOpen)
        {
            return Refusal.Conflict("already resolved", $"incident {id} was resolved at {Timestamps.Format(incident.ResolvedAt)}; there is nobody left to page");
        }

        await escalator.EscalateNowAsync(incident, reason, by, time.GetUtcNow(), cancellationToken);
        return await CurrentAsync(id, cancellationToken);
    }

    private static Refusal Unknown(string id) => Refusal.NotFound("unknown incident", $"incident {id} does not exist");

    private async Task<Outcome<Incident>> CurrentAsync(string id, CancellationToken cancellationToken) =>
        Outcome<Incident>.Done((await store.GetIncidentAsync(id, cancellationToken))!);
}
