using Rewind.Core.Approvals;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Server.Hosting;

namespace Rewind.Server.Runbooks;

/// <summary>What became of a rollback request: started, refused (with the reason), or in conflict with a running one.</summary>
internal sealed record RollbackOutcome(Rollback? Rollback, PlanResult? Plan, string? Refusal, string? ConflictId, bool UnknownComponent = false);

/// <summary>
/// The one way a rollback starts, for policies and people alike: plan against known-good releases only, take the
/// component's lease in the store, then hand the rollback to the executor.
/// </summary>
internal sealed class RollbackCoordinator(ConfigHolder config, IStore store, RollbackQueue queue, TimeProvider time)
{
    public async Task<RollbackOutcome> PlanAsync(string component, string? toVersion, CancellationToken cancellationToken = default) =>
        await PlanAsync(component, toVersion, emergency: false, cancellationToken);

    public async Task<RollbackOutcome> PlanAsync(string component, string? toVersion, bool emergency, CancellationToken cancellationToken = default)
    {
        if (config.Component(component) is not { } componentConfig)
        {
            return new RollbackOutcome(null, null, $"component {component} is not in the config", null, UnknownComponent: true);
        }

        var state = await store.GetComponentAsync(component, cancellationToken);
        var releases = await store.GetReleasesAsync(component, cancellationToken);
        var plan = RollbackPlanner.Plan(component, componentConfig, state, releases, toVersion, emergency);
        return new RollbackOutcome(null, plan, plan.Refusal, null);
    }

    public Task<RollbackOutcome> RequestAsync(string component, string? toVersion, string reason, string requestedBy, string? incidentId, CancellationToken cancellationToken = default) =>
        RequestAsync(component, toVersion, reason, requestedBy, incidentId, emergency: false, cancellationToken);

    public async Task<RollbackOutcome> RequestAsync(string component, string? toVersion, string reason, string requestedBy, string? incidentId, bool emergency, CancellationToken cancellationToken = default)
    {
        // One actor per component: a running rollback is the answer, whatever a new plan would say.
        if (await store.GetRollbacksAsync(1, component, cancellationToken) is [{ IsActive: true } active])
        {
            return new RollbackOutcome(null, null, null, active.Id);
        }

        var planned = await PlanAsync(component, toVersion, emergency, cancellationToken);
        var now = time.GetUtcNow();
        if (planned.Refusal is not null || planned.Plan is not { Target: { } target } plan)
        {
            if (!planned.UnknownComponent && incidentId is null && await store.GetOpenIncidentAsync(component, cancellationToken) is { } open)
            {
                await store.AppendTimelineAsync(new TimelineEvent(open.Id, now, TimelineKinds.Escalation, $"rollback requested by {requestedBy} refused: {planned.Refusal}; nothing was touched", "controller"), cancellationToken);
            }

            return planned;
        }

        var state = await store.GetComponentAsync(component, cancellationToken);
        incidentId ??= (await store.GetOpenIncidentAsync(component, cancellationToken))?.Id
            ?? (await store.OpenIncidentAsync(component, Severity.P2, $"{component}: manual rollback requested by {requestedBy}: {reason}", null, state?.CurrentVersion, now, requestedBy, cancellationToken)).Id;
        var severity = (await store.GetIncidentAsync(incidentId, cancellationToken))?.Severity ?? Severity.P2;
        var rule = ApprovalMatrix.RuleFor(config.Current.Approvals, component, severity, requestedBy);
        var creation = await store.CreateRollbackAsync(component, incidentId, state?.CurrentVersion, target.Version, reason, requestedBy, plan.Steps, now, awaitingApproval: rule is not null, cancellationToken);
        if (creation.Created is not { } rollback)
        {
            return new RollbackOutcome(null, plan, null, creation.ActiveRollbackId);
        }

        var what = $"{(emergency ? "EMERGENCY " : "")}rollback {rollback.Id} requested by {requestedBy}: {state?.CurrentVersion ?? "unknown"} -> {target.Version} ({(toVersion is null ? "last known good" : "requested target, stable")}); reason: {reason}{(emergency ? "; emergency mode: pauses are skipped, health is still verified" : "")}";
        if (rule is { } matched)
        {
            var needs = ApprovalMatrix.Evaluate(matched.Rule, requestedBy, []).Missing;
            await store.AppendTimelineAsync(
                new TimelineEvent(incidentId, now, TimelineKinds.Decision, $"{what}; it waits for {needs} (approval rule {matched.Index + 1}{(matched.Rule.TwoPerson ? ", two-person" : "")}): `rewind approve {rollback.Id}` or `rewind deny {rollback.Id}`; decide within {Durations.Format(matched.Rule.DecideWithin)}, then {(ApprovalMatrix.ProceedsOnTimeout(matched.Rule, requestedBy, config.Component(component)) ? "it proceeds" : "it escalates")}", requestedBy, TimelineMilestones.ApprovalNeeded),
                cancellationToken);
            return new RollbackOutcome(rollback, plan, null, null);
        }

        await store.SetIncidentStatusAsync(incidentId, IncidentStatus.Mitigating, now, cancellationToken);
        await store.AppendTimelineAsync(new TimelineEvent(incidentId, now, TimelineKinds.Decision, what, requestedBy), cancellationToken);
        queue.Enqueue(rollback.Id);
        return new RollbackOutcome(rollback, plan, null, null);
    }

    /// <summary>An approval (or a timeout that proceeds) released an awaiting rollback: it runs now.</summary>
    public async Task ReleaseAsync(Rollback rollback, string message, string actor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (!await store.DecideAwaitingRollbackAsync(rollback.Id, RollbackStatus.Pending, now, null, cancellationToken))
        {
            return;
        }

        if (rollback.IncidentId is { } incidentId)
        {
            await store.SetIncidentStatusAsync(incidentId, IncidentStatus.Mitigating, now, cancellationToken);
            await store.AppendTimelineAsync(new TimelineEvent(incidentId, now, TimelineKinds.Decision, message, actor), cancellationToken);
        }

        queue.Enqueue(rollback.Id);
    }
}
