using Rewind.Core.Releases;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Incidents;

/// <summary>
/// Everything the store knows about one incident: the incident, its timeline (time, then append order), the rollbacks
/// made for it with their steps (oldest first), and the release it was opened on, when that release is recorded.
/// Reports and metrics are computed from this and nothing else.
/// </summary>
public sealed record IncidentRecord(Incident Incident, IReadOnlyList<TimelineEvent> Timeline, IReadOnlyList<Rollback> Rollbacks, Release? Release)
{
    /// <summary>
    /// The component's probes before, during and after the incident, read from the samples store when the report is
    /// made (samples are not part of the record); null when not read, and the report then has no Signals section.
    /// </summary>
    public IReadOnlyList<SignalPeriod>? Signals { get; init; }

    /// <summary>The evidence that made a policy fire: <c>evidence</c> entries of the form <c>policy NAME: …</c>.</summary>
    public IEnumerable<TimelineEvent> TriggerEvidence => Timeline.Where(IsTriggerEvidence);

    /// <summary>The rollback that put the component back: the first that succeeded, else the first that was requested.</summary>
    public Rollback? MainRollback =>
        Rollbacks.OrderBy(r => r.RequestedAt).FirstOrDefault(r => r.Status == RollbackStatus.Succeeded)
        ?? Rollbacks.OrderBy(r => r.RequestedAt).FirstOrDefault();

    private static bool IsTriggerEvidence(TimelineEvent entry)
    {
        if (entry.Kind != TimelineKinds.Evidence || !entry.Message.StartsWith("policy ", StringComparison.Ordinal))
        {
            return false;
        }

        // "policy NAME: what it saw" fired; "policy NAME no longer holds: …" is a recovery.
        var name = entry.Message.AsSpan("policy ".Length);
        var end = name.IndexOfAny(' ', ':');
        return end > 0 && name[end] == ':';
    }
}
