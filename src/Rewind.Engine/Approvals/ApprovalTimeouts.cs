using Rewind.Core.Approvals;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Policies;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Incidents;
using Rewind.Engine.Runbooks;

namespace Rewind.Engine.Approvals;

/// <summary>
/// The decision clock of the authorisation matrix: a rollback nobody decided on within <c>decide-within</c> either
/// proceeds (only when an auto-mode policy asked for it and the rule says so) or escalates its incident, once, to the
/// next level of its escalation policy (or to the channels taking escalations when none covers it).
/// Driven by the store's record, so a restarted controller picks up where it stopped; the host calls
/// <see cref="CheckAsync"/> every second.
/// </summary>
internal sealed class ApprovalTimeouts(ConfigHolder config, IStore store, RollbackCoordinator coordinator, Escalator escalator, TimeProvider time)
{
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        if (config.Current.Approvals.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var rollback in (await store.GetActiveRollbacksAsync(cancellationToken)).Where(r => r.Status == RollbackStatus.Awaiting))
        {
            var incident = rollback.IncidentId is { } id ? await store.GetIncidentAsync(id, cancellationToken) : null;
            if (ApprovalMatrix.RuleFor(config.Current.Approvals, rollback.Component, incident?.Severity ?? Severity.P2, rollback.RequestedBy) is not { } matched
                || now - rollback.RequestedAt < matched.Rule.DecideWithin || incident is null)
            {
                continue;
            }

            var policy = ApprovalMatrix.PolicyOf(rollback.RequestedBy);
            var waited = Durations.Format(matched.Rule.DecideWithin);
            if (ApprovalMatrix.ProceedsOnTimeout(matched.Rule, rollback.RequestedBy, config.Component(rollback.Component)))
            {
                await coordinator.ReleaseAsync(rollback, $"{rollback.Id}: no decision within {waited}; proceeding, as policy {policy} acts automatically and approval rule {matched.Index + 1} says proceed", "controller", cancellationToken);
                continue;
            }

            var marker = $"{rollback.Id}: no decision within {waited}";
            if ((await store.GetTimelineAsync(incident.Id, cancellationToken)).Any(e => e.Kind == TimelineKinds.Escalation && e.Message.Contains(marker, StringComparison.Ordinal)))
            {
                continue; // escalated already (perhaps before a restart)
            }

            var (_, missing) = ApprovalMatrix.Evaluate(matched.Rule, rollback.RequestedBy, await store.GetApprovalsAsync(rollback.Id, cancellationToken));
            await escalator.EscalateNowAsync(incident, $"{marker}; still waiting for {missing}; a human must decide (`rewind approve {rollback.Id}` or `rewind deny {rollback.Id}`)", Escalator.Actor, now, cancellationToken);
        }
    }
}
