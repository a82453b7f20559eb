using Rewind.Core.Approvals;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Runbooks;

/// <summary>What became of a rollback request: started, refused (with the reason), or in conflict with a running one.</summary>
internal sealed record RollbackOutcome(Rollback? Rollback, PlanResult? Plan, string? Refusal, string? ConflictId, bool UnknownComponent = false);

/// <summary>
/// The one way a rollback starts, for policies and people alike: plan against known-good releases only, take the
/// component's lease in the store, then hand the rollback to the executor.
/// </summary>
internal sealed class RollbackCoordinator(ConfigHolder config, IStore store, RollbackQueue queue, RollbackTraces traces, TimeProvider time)
{
    public async Task<RollbackOutcome> PlanAsync(string component, string? toVersion, CancellationToken cancellationToken = default) =>
        await PlanAsync(component, toVersion, emergency: false, cancellationToken);

    public Task<RollbackOutcome> PlanAsync(string component, string? toVersion, bool emergency, CancellationToken cancellationToken = default) =>
        PlanAsync(component, new PlanOptions(toVersion, emergency), cancellationToken);

    /// <summary>
    /// Why no rollback may start while a release recorded with <c>--deploying</c> is within its <c>deploy-grace</c>: a
    /// deploy and a rollback never act on one component at once. Null when no deploy is in progress.
    /// </summary>
    public async Task<string?> DeployInProgressAsync(string component, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (config.Component(component) is not { } componentConfig
            || await store.GetComponentAsync(component, cancellationToken) is not { CurrentVersion: { } version }
            || await store.GetReleaseAsync(component, version, cancellationToken) is not { State: Core.Releases.ReleaseState.Deploying } release
            || now >= release.RecordedAt + componentConfig.DeployGrace)
        {
            return null;
        }

        return $"a deploy of {version} is in progress on {component} (recorded with --deploying at {Timestamps.Format(release.RecordedAt)}); a deploy and a rollback never act at once. It ends when {version} serves healthy, when it is recorded without --deploying (`rewind release record {component} {version}`), or at {Timestamps.Format(release.RecordedAt + componentConfig.DeployGrace)}";
    }

    /// <summary>The plan for <paramref name="options"/>: a target, emergency, whose plan, a schema change allowed.</summary>
    public async Task<RollbackOutcome> PlanAsync(string component, PlanOptions options, CancellationToken cancellationToken = default)
    {
        if (config.Component(component) is not { } componentConfig)
        {
            return new RollbackOutcome(null, null, UnknownTargets.Component(config.Current, component), null, UnknownComponent: true);
        }

        var state = await store.GetComponentAsync(component, cancellationToken);
        var releases = await store.GetReleasesAsync(component, cancellationToken);
        var plan = RollbackPlanner.Plan(component, componentConfig, state, releases, options);
        return new RollbackOutcome(null, plan, plan.Refusal, null);
    }

    public Task<RollbackOutcome> RequestAsync(string component, string? toVersion, string reason, string requestedBy, string? incidentId, CancellationToken cancellationToken = default) =>
        RequestAsync(component, toVersion, reason, requestedBy, incidentId, emergency: false, cancellationToken);

    public Task<RollbackOutcome> RequestAsync(string component, string? toVersion, string reason, string requestedBy, string? incidentId, bool emergency, CancellationToken cancellationToken = default) =>
        RequestAsync(component, toVersion, reason, requestedBy, incidentId, emergency, null, cancellationToken);

    /// <summary>
    /// Plans and creates a rollback. With a <c>link</c> it is a member of a group rollback: created now (holding its
    /// lease) but started by the group, after the member it waits for.
    /// </summary>
    public async Task<RollbackOutcome> RequestAsync(string component, string? toVersion, string reason, string requestedBy, string? incidentId, bool emergency, RollbackLink? link, CancellationToken cancellationToken = default) =>
        await RequestAsync(component, reason, requestedBy, incidentId, new PlanOptions(toVersion, emergency), link, cancellationToken);

    /// <summary>As above, planned with <paramref name="options"/> (the plan of a policy, a schema change a person allowed).</summary>
    public async Task<RollbackOutcome> RequestAsync(string component, string reason, string requestedBy, string? incidentId, PlanOptions options, RollbackLink? link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var pinned = config.Pin(); // planned and matched against the approval rules of one config
        var (toVersion, emergency) = (options.Version, options.Emergency);
        // One actor per component: a running rollback is the answer, whatever a new plan would say.
        if (await store.GetRollbacksAsync(1, component, cancellationToken) is [{ IsActive: true } active])
        {
            return new RollbackOutcome(null, null, null, active.Id);
        }

        var now = time.GetUtcNow();
        if (await DeployInProgressAsync(component, now, cancellationToken) is { } deploying)
        {
            return new RollbackOutcome(null, null, deploying, null);
        }

        var planned = await PlanAsync(component, options, cancellationToken);
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
        var incident = incidentId;
        string What(Rollback rollback) => $"{(emergency ? "EMERGENCY " : "")}rollback {rollback.Id} requested by {requestedBy}: {state?.CurrentVersion ?? "unknown"} -> {target.Version} ({(toVersion is null ? "last known good" : "requested target, stable")}{(plan.Policy is { } planOf ? $", the plan of policy {planOf}" : "")}); reason: {reason}{(plan.SchemaChange is { } change ? $"; back over schema change {change}{(options.AllowSchemaChange ? ", allowed by " + requestedBy : ", handled by the plan's migrate-down step")}" : "")}{(emergency ? "; emergency mode: pauses are skipped, health is still verified" : "")}";
        TimelineEvent Decision(Rollback created) => rule is { } matched
            ? new(incident, now, TimelineKinds.Decision, $"{What(created)}; {Awaiting(matched, requestedBy, component, created.Id)}", requestedBy, TimelineMilestones.ApprovalNeeded)
            : new(incident, now, TimelineKinds.Decision, What(created) + (link is null ? "" : $"; part of group {link.Group}{(link.WaitsFor is null ? "" : $", after {link.WaitsFor}")}"), requestedBy);

        // The rollback, its incident moving to mitigating and the decision entry: one transaction, all or none.
        var creation = await store.CreateRollbackAsync(component, incidentId, state?.CurrentVersion, target.Version, reason, requestedBy, plan.Steps, now, awaitingApproval: rule is not null, link, new PlanLimits(plan.Timeout, plan.Policy), Decision, cancellationToken);
        if (creation.Created is not { } rollback)
        {
            return new RollbackOutcome(null, plan, null, creation.ActiveRollbackId);
        }

        traces.Decided(rollback, awaitingApproval: rule is not null);

        if (rule is not null)
        {
            return new RollbackOutcome(rollback, plan, null, null); // it waits for its approvers
        }

        if (link is null)
        {
            queue.Enqueue(rollback.Id); // a group starts its first member once every member holds its lease
        }
        return new RollbackOutcome(rollback, plan, null, null);
    }

    /// <summary>
    /// The approval rule a rollback of <paramref name="component"/> requested now by <paramref name="requestedBy"/> would
    /// wait for, matched as <see cref="RequestAsync(string, string, string, string?, PlanOptions, RollbackLink?, CancellationToken)"/>
    /// matches it: the severity of the component's open incident, else P2 (the incident a manual request opens).
    /// </summary>
    public async Task<(ApprovalRuleConfig Rule, int Index)?> ApprovalRuleAsync(string component, string requestedBy, CancellationToken cancellationToken = default)
    {
        var severity = (await store.GetOpenIncidentAsync(component, cancellationToken))?.Severity ?? Severity.P2;
        return ApprovalMatrix.RuleFor(config.Current.Approvals, component, severity, requestedBy);
    }

    /// <summary>What happens to a rollback under <paramref name="rule"/> nobody decided on in time: <c>proceeds</c> or <c>escalates</c>.</summary>
    public string OnTimeout(ApprovalRuleConfig rule, string requestedBy, string component) =>
        ApprovalMatrix.ProceedsOnTimeout(rule, requestedBy, config.Component(component)) ? "proceeds" : "escalates";

    /// <summary>
    /// Why a new rollback of <paramref name="component"/> is refused while <paramref name="active"/> holds it: still
    /// running, or only waiting for approval (then who may approve, and how to approve, deny or cancel it).
    /// </summary>
    public async Task<string> ConflictAsync(string component, string active, CancellationToken cancellationToken = default)
    {
        if (await store.GetRollbackAsync(active, cancellationToken) is not { Status: RollbackStatus.Awaiting } rollback)
        {
            return $"rollback {active} is already acting on {component}; one actor per component";
        }

        var severity = rollback.IncidentId is { } incident ? (await store.GetIncidentAsync(incident, cancellationToken))?.Severity ?? Severity.P2 : Severity.P2;
        var needs = ApprovalMatrix.RuleFor(config.Current.Approvals, component, severity, rollback.RequestedBy) is { } matched
            ? $"it needs {ApprovalMatrix.Evaluate(matched.Rule, rollback.RequestedBy, await store.GetApprovalsAsync(active, cancellationToken)).Missing} (approval rule {matched.Index + 1}{(matched.Rule.TwoPerson ? $", two-person: not {rollback.RequestedBy}" : "")})"
            : "no approval rule covers it any more: any approval releases it";
        return $"rollback {active} of {component}, requested by {rollback.RequestedBy}, awaits approval and has touched nothing: {needs}. Approve it with `rewind approve {active}`, deny it with `rewind deny {active}`, or cancel it with `rewind abort {active} --reason TEXT`; one rollback per component";
    }

    /// <summary>What the decision entry of a rollback that waits for approvals adds: who must decide, how, and by when.</summary>
    private string Awaiting((ApprovalRuleConfig Rule, int Index) matched, string requestedBy, string component, string rollbackId)
    {
        var needs = ApprovalMatrix.Evaluate(matched.Rule, requestedBy, []).Missing;
        return $"it waits for {needs} (approval rule {matched.Index + 1}{(matched.Rule.TwoPerson ? ", two-person" : "")}): `rewind approve {rollbackId}` or `rewind deny {rollbackId}`; decide within {Durations.Format(matched.Rule.DecideWithin)}, then {(ApprovalMatrix.ProceedsOnTimeout(matched.Rule, requestedBy, config.Component(component)) ? "it proceeds" : "it escalates")}";
    }

    /// <summary>Hands a created rollback to the executor (the first member of a group, once all are created).</summary>
    public void Start(string rollbackId) => queue.Enqueue(rollbackId);

    /// <summary>An approval (or a timeout that proceeds) released an awaiting rollback: it runs now.</summary>
    public async Task ReleaseAsync(Rollback rollback, string message, string actor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        // released, its incident mitigating and the decision entry in one transaction
        var entry = rollback.IncidentId is { } incidentId ? new TimelineEvent(incidentId, now, TimelineKinds.Decision, message, actor) : null;
        if (!await store.DecideAwaitingRollbackAsync(rollback.Id, RollbackStatus.Pending, now, null, entry, cancellationToken))
        {
            return;
        }

        traces.ApprovalEnded(rollback.Id, "released");
        queue.Enqueue(rollback.Id);
    }
}

/// <summary>What became of a group rollback request: every member's rollback (the first runs, the others wait their turn), or why none was started.</summary>
internal sealed record GroupOutcome(IReadOnlyList<Rollback> Rollbacks, IReadOnlyList<(string Component, PlanResult Plan)> Plans, string? Refusal, bool UnknownGroup = false);

/// <summary>
/// Rolls a group of components back in its declared order: every member is planned first (one refusal refuses the
/// group: nothing is half-started), then every member's rollback is created at once, holding every lease, each waiting
/// for the one before it. The executor runs them one by one; a member that does not succeed cancels the rest.
/// </summary>
internal sealed class GroupCoordinator(ConfigHolder config, IStore store, RollbackCoordinator coordinator, RollbackTraces traces, TimeProvider time)
{
    public async Task<GroupOutcome> PlanAsync(string group, bool emergency, CancellationToken cancellationToken = default)
    {
        if (!config.Current.Groups.TryGetValue(group, out var members))
        {
            return new GroupOutcome([], [], UnknownTargets.Group(config.Current, group), UnknownGroup: true);
        }

        var plans = new List<(string, PlanResult)>();
        var refusals = new List<string>();
        foreach (var component in members.Components)
        {
            var planned = await coordinator.PlanAsync(component, null, emergency, cancellationToken);
            if (planned.Refusal is { } why)
            {
                refusals.Add(why);
            }
            else
            {
                plans.Add((component, planned.Plan!));
            }
        }

        return new GroupOutcome([], plans, refusals.Count == 0 ? null : $"group {group} cannot roll back: {string.Join("; ", refusals)}");
    }

    public async Task<GroupOutcome> RequestAsync(string group, string reason, string requestedBy, bool emergency, CancellationToken cancellationToken = default)
    {
        var planned = await PlanAsync(group, emergency, cancellationToken);
        if (planned.Refusal is not null)
        {
            return planned;
        }

        var created = new List<Rollback>();
        foreach (var (component, _) in planned.Plans)
        {
            var outcome = await coordinator.RequestAsync(component, null, $"group {group}: {reason}", requestedBy, null, emergency, new RollbackLink(group, created.LastOrDefault()?.Id), cancellationToken);
            if (outcome.Rollback is { } rollback)
            {
                created.Add(rollback);
                continue;
            }

            var why = outcome.ConflictId is { } active ? $"{component} has rollback {active} acting on it" : $"{component}: {outcome.Refusal}";
            foreach (var unstarted in created)
            {
                // none was handed to the executor: cancelling frees its lease, nothing was touched
                var note = $"group {group} refused: {why}; nothing was touched";
                _ = unstarted.Status == RollbackStatus.Awaiting
                    ? await store.DecideAwaitingRollbackAsync(unstarted.Id, RollbackStatus.Cancelled, time.GetUtcNow(), note, cancellationToken: cancellationToken)
                    : await store.CancelUnstartedRollbackAsync(unstarted.Id, time.GetUtcNow(), note, cancellationToken);
                traces.ApprovalEnded(unstarted.Id, "cancelled");
            }

            return new GroupOutcome([], planned.Plans, $"group {group} refused: {why}; nothing was started");
        }

        if (created.FirstOrDefault(r => r.Status == RollbackStatus.Pending && r.WaitsFor is null) is { } first)
        {
            coordinator.Start(first.Id);
        }

        return new GroupOutcome(created, planned.Plans, null);
    }
}
