using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Agents;

/// <summary>What a host's agent keeps for a rollback without a controller: a component's last known good and the host's steps to reach it.</summary>
internal sealed record KnownGood(string Component, string ToVersion, string? FromVersion, SequenceStep Steps);

/// <summary>A rollback run on a host by <c>rewind agent rollback</c> while no controller answered, as its agent reports it afterwards.</summary>
internal sealed record BreakGlassReport(string Id, string Host, string Component, string? FromVersion, string ToVersion, string RunBy, bool Succeeded, string Output, DateTimeOffset RanAt);

/// <summary>
/// Break glass. For each component on a host (<c>host:</c>, or one of its <c>hosts:</c>), the host's switch and
/// restart to the component's last known good, planned as a rollback would plan them now, for the agent to keep; and
/// what the agent says afterwards, when it ran them with no controller: one timeline entry naming who ran it, where,
/// and how it ended, on the component's open incident, or on a new one. Reporting it again changes nothing.
/// </summary>
internal sealed class BreakGlass(IStore store, ConfigHolder config, TimeProvider time)
{
    public async Task<IReadOnlyList<KnownGood>> KnownGoodAsync(string host, CancellationToken cancellationToken = default)
    {
        var known = new List<KnownGood>();
        foreach (var (name, component) in config.Current.Components.Where(c => c.Value.Host == host || c.Value.Hosts?.Contains(host) == true))
        {
            var state = await store.GetComponentAsync(name, cancellationToken);
            var plan = RollbackPlanner.Plan(name, component, state, await store.GetReleasesAsync(name, cancellationToken), new PlanOptions());
            if (plan.IsRefused || plan.Target is not { } target)
            {
                continue; // no known good other than what runs: nothing to go back to
            }

            var steps = plan.Steps.SelectMany(step => step switch
            {
                OnHostStep on when on.Host == host => [on.Step],
                FleetStep fleet => fleet.Hosts.Where(h => h.Host == host).SelectMany(h => h.Steps),
                _ => Enumerable.Empty<PlanStep>(),
            }).ToList();
            if (steps.Count > 0)
            {
                known.Add(new KnownGood(name, target.Version, state?.CurrentVersion, new SequenceStep(steps)));
            }
        }

        return known;
    }

    /// <summary>Records the report once; false when it was recorded already (the same id on the component's timeline).</summary>
    public async Task<bool> ReportAsync(BreakGlassReport report, CancellationToken cancellationToken = default)
    {
        var marker = $"[{report.Id}]";
        foreach (var incident in (await store.GetIncidentsAsync(200, cancellationToken)).Where(i => i.Component == report.Component))
        {
            if ((await store.GetTimelineAsync(incident.Id, cancellationToken)).Any(e => e.Message.Contains(marker, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        var now = time.GetUtcNow();
        var actor = $"{report.RunBy}@{report.Host}";
        var incidentId = (await store.GetOpenIncidentAsync(report.Component, cancellationToken))?.Id
            ?? (await store.OpenIncidentAsync(report.Component, Severity.P2, $"{report.Component}: break-glass rollback on {report.Host} by {report.RunBy}", null, report.FromVersion, now, actor, cancellationToken)).Id;
        var message = $"break-glass rollback on {report.Host} by {report.RunBy} at {Timestamps.Format(report.RanAt)}, with no controller reachable: {report.Component} {report.FromVersion ?? "unknown"} -> {report.ToVersion} "
            + $"{(report.Succeeded ? "succeeded" : "failed")}: {report.Output} {marker}; the controller's record of the component's release is unchanged: check it (rewind status) and record what runs";
        await store.AppendTimelineAsync(new TimelineEvent(incidentId, now, TimelineKinds.Escalation, message, actor), cancellationToken);
        return true;
    }
}
