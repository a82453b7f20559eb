using Microsoft.Extensions.Logging;
using Rewind.Core.Incidents;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Metrics;

namespace Rewind.Engine.Incidents;

/// <summary>
/// Raises open incidents through the levels of their escalation policy: on the clock (<see cref="CheckAsync"/>, every
/// second from the host's escalation loop) and on demand (a person, or an approval nobody decided on). Each
/// level is written by a conditional update of the incident together with its timeline entry, so it is paged exactly
/// once however many controllers run and however often they restart; the notification tail routes the entry to the
/// level's channels.
/// </summary>
internal sealed class Escalator(ConfigHolder config, IStore store, ControllerMetrics metrics, ILogger<Escalator> logger)
{
    public const string Actor = "controller";

    /// <summary>Writes every level that is due at <paramref name="now"/>; returns how many were reached.</summary>
    public async Task<int> CheckAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var policies = config.Current.Escalation;
        if (policies.Count == 0)
        {
            return 0;
        }

        var reached = 0;
        foreach (var incident in await store.GetOpenIncidentsAsync(cancellationToken))
        {
            foreach (var step in EscalationSchedule.Due(policies, incident, now))
            {
                var message = $"escalated to {step.Describe()}: {EscalationSchedule.Reason(step.Config)}";
                if (await RaiseAsync(incident, step, message, Actor, now, cancellationToken))
                {
                    reached++;
                }
            }
        }

        return reached;
    }

    /// <summary>
    /// Escalates now, whatever the clock says: to the next level of the incident's policy, or, at the last level or
    /// without a policy, pages again whoever the current level (or the channels taking escalations) reaches. Returns
    /// the level the incident is at afterwards.
    /// </summary>
    public async Task<int> EscalateNowAsync(Incident incident, string reason, string actor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var policies = config.Current.Escalation;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (EscalationSchedule.Level(policies, incident, incident.EscalationLevel + 1) is { } next)
            {
                if (await RaiseAsync(incident, next, $"escalated to {next.Describe()} by {actor}: {reason}", actor, now, cancellationToken))
                {
                    return next.Level;
                }

                // another writer raised it meanwhile: decide again on what it is now
                incident = await store.GetIncidentAsync(incident.Id, cancellationToken) ?? incident;
                if (!incident.IsOpen)
                {
                    return incident.EscalationLevel;
                }

                continue;
            }

            var current = EscalationSchedule.Level(policies, incident, incident.EscalationLevel);
            var whom = current is null ? "the channels taking escalations" : $"{current.Describe()} again (the last level)";
            await store.AppendTimelineAsync(
                new TimelineEvent(incident.Id, now, TimelineKinds.Escalation, $"escalation by {actor}: {reason}; paging {whom}", actor, current is null ? null : TimelineMilestones.EscalationLevel(current.Level)),
                cancellationToken);
            return incident.EscalationLevel;
        }

        return incident.EscalationLevel;
    }

    private async Task<bool> RaiseAsync(Incident incident, EscalationStep step, string message, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entry = new TimelineEvent(incident.Id, now, TimelineKinds.Escalation, message, actor, TimelineMilestones.EscalationLevel(step.Level));
        if (!await store.EscalateIncidentAsync(step.Level, entry, cancellationToken))
        {
            return false; // reached already (by another controller, or before a restart), or resolved meanwhile
        }

        metrics.Escalations.Inc(incident.Component, step.Level.ToString(System.Globalization.CultureInfo.InvariantCulture));
        EngineLog.Escalated(logger, incident.Id, step.Level, step.Policy, message);
        return true;
    }
}
