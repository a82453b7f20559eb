using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Policies;
using Rewind.Core.Runbooks;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Metrics;
using Rewind.Engine.Runbooks;
using Rewind.Engine.Signals;

namespace Rewind.Engine.Policies;

/// <summary>
/// Feeds samples to the policies of the decision matrix and acts on their transitions: one incident per component per
/// episode, a rollback when the mode is auto and the cooldown allows, a page to a human whenever it must not guess.
/// </summary>
/// <remarks>
/// An observation in the steady state reads nothing from the store: the gate (the release serving, an active rollback,
/// a maintenance, a deploy in progress) is taken from <see cref="DecisionFacts"/>, held in memory and kept fresh by the
/// store's own writes and a bulk read once a second. Before it acts (a policy fires or recovers, an incident is opened
/// or resolved, a deploy is ended) the engine reads those facts from the store again and acts only when they still
/// hold (<see cref="StillActingAsync"/>): a stale copy can delay a decision by the refresh period, never make a wrong one.
/// </remarks>
internal sealed partial class DecisionEngine(
    ConfigHolder config,
    IStore store,
    RollbackCoordinator coordinator,
    TrafficBoard traffic,
    Releases.ReleaseEvidence releaseEvidence,
    HealthBoard health,
    ControllerMetrics metrics,
    TimeProvider time,
    ILogger<DecisionEngine> logger,
    IChangeNotice changes,
    DecisionFacts facts)
{
    private const string Actor = "controller";
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Component, string Policy), PolicyState> _states = new();
    private readonly ConcurrentDictionary<string, string?> _observedVersion = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _awaitingRecovery = new(StringComparer.Ordinal);

    public PolicyState StateOf(string component, string policy) => _states.GetValueOrDefault((component, policy), PolicyState.Initial);

    public async Task ObserveAsync(ProbeSample sample, CancellationToken cancellationToken = default)
    {
        using var pinned = config.Pin(); // one config for the whole observation, whatever a reload does meanwhile
        var component = config.Component(sample.Component);
        if (component is null)
        {
            return;
        }

        if (sample.Version is { } serving && component.VersionSource?.Probe == sample.Probe)
        {
            await ObserveVersionAsync(sample.Component, serving, sample.At, cancellationToken);
        }

        var gate = _locks.GetOrAdd(sample.Component, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await ObserveLockedAsync(sample, component, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task ObserveLockedAsync(ProbeSample sample, ComponentConfig component, CancellationToken cancellationToken)
    {
        RecordProbe(sample, component);
        await DeployWindowAsync(sample.Component, cancellationToken); // a deploy whose grace has ended is taken as done
        var (acting, tracking, version) = await GateAsync(sample.Component, component, cancellationToken);
        if (!tracking)
        {
            return;
        }

        foreach (var (name, policy) in component.Policies.Where(p => p.Value.When.Kind == "probe" && string.Equals(p.Value.When.Probe, sample.Probe, StringComparison.Ordinal)))
        {
            var (next, transition) = StateOf(sample.Component, name).Observe(policy.When, sample);
            _states[(sample.Component, name)] = next;
            if (!acting)
            {
                continue; // a rollback is acting: the state moves (its verify step reads it), nothing else does
            }

            if (transition == PolicyTransition.Fired)
            {
                await FireAsync(sample, name, policy, next, version, cancellationToken);
            }
            else if (transition == PolicyTransition.Recovered)
            {
                await RecoverAsync(sample.Component, name, component, $"probe {sample.Probe} passing again", cancellationToken);
            }

            if (transition != PolicyTransition.None)
            {
                await EvaluateCompositesAsync(sample.Component, component, version, cancellationToken);
            }
        }

        await EvaluateProbeConditionsAsync(sample, component, version, cancellationToken);
        if (acting)
        {
            // while a rollback acts its own verification decides whether the incident ends, not a clean streak during it
            await ResolveCarriedOverIncidentAsync(sample.Component, component, version, cancellationToken);
        }
    }

    /// <summary>
    /// Whether policies may act on the component now, whether their states still move (also while a rollback acts, so
    /// its verify step can read them; not in maintenance), and the release serving. When a different release is serving,
    /// the old episode's memory says nothing about it; an open incident carries over and ends once every policy has
    /// held clean on the new release.
    /// </summary>
    private async Task<(bool Acting, bool Tracking, string? Version)> GateAsync(string componentName, ComponentConfig component, CancellationToken cancellationToken)
    {
        var held = await facts.GetAsync(componentName, cancellationToken);
        var version = held.Version;
        var observed = _observedVersion.TryGetValue(componentName, out var seen);
        if (!observed || !string.Equals(seen, version, StringComparison.Ordinal))
        {
            // Also from "no release recorded yet": an incident opened then carries over to the first recorded release.
            _observedVersion[componentName] = version;
            _awaitingRecovery[componentName] = observed;
            foreach (var name in component.Policies.Keys)
            {
                _states[(componentName, name)] = PolicyState.Initial;
            }
        }

        // While a rollback acts, policies are still evaluated, on the release being rolled back to, so its verify step
        // can tell whether they hold; they open, page and roll back nothing meanwhile.
        var tracking = !Drifting(componentName) && !InMaintenance(componentName, component, held);
        return (tracking && !held.RollbackActive, tracking, version);
    }

    /// <summary>
    /// Before acting: the facts the gate let the action through on, read from the store again, still let it through
    /// (the same release serving, no rollback acting, no maintenance, no drift). When they do not, nothing is done now;
    /// the next observation sees the facts as read and decides on them.
    /// </summary>
    private async Task<bool> StillActingAsync(string componentName, string? version, CancellationToken cancellationToken)
    {
        var fresh = await facts.ReadAsync(componentName, cancellationToken);
        return string.Equals(fresh.Version, version, StringComparison.Ordinal) && !fresh.RollbackActive
            && fresh.MaintenanceAt(time.GetUtcNow()) is null && !Drifting(componentName);
    }

    private Task FireAsync(ProbeSample sample, string policyName, PolicyConfig policy, PolicyState state, string? version, CancellationToken cancellationToken) =>
        FireAsync(sample.Component, policyName, policy, state.Describe(sample.Probe, sample.At) + (sample.Error is null ? "" : $"; last error: {sample.Error}"), version, cancellationToken);

    /// <summary>A policy fired: open or join the incident, write the evidence, then act as the policy's mode says.</summary>
    private async Task FireAsync(string componentName, string policyName, PolicyConfig policy, string evidence, string? version, CancellationToken cancellationToken)
    {
        if (!await StillActingAsync(componentName, version, cancellationToken)
            || (!policy.Shadow && await HeldByDeployAsync(componentName, policyName, policy, version, cancellationToken)))
        {
            return;
        }

        var now = time.GetUtcNow();
        EngineLog.PolicyFired(logger, componentName, policyName, evidence);
        metrics.Decisions.Inc(componentName, policyName, policy.Shadow ? "shadow" : policy.Mode.ToString().ToLowerInvariant());
        if (policy.Shadow)
        {
            await RecordShadowAsync(componentName, policyName, policy, evidence, version, now, cancellationToken);
            return;
        }

        var incident = await JoinOrOpenIncidentAsync(componentName, policyName, policy, version, now, cancellationToken);
        await Timeline(incident.Id, TimelineKinds.Evidence, $"policy {policyName}: {evidence}", $"policy:{policyName}", cancellationToken);
        if (await HoldWhileInconclusiveAsync(incident.Id, componentName, policyName, policy, evidence, cancellationToken))
            return; // the monitor cannot be believed now: paged, nothing rolled back (DecisionEngine.Overload.cs)

        switch (policy.Mode)
        {
            case PolicyMode.Notify:
                await Timeline(incident.Id, TimelineKinds.Decision, $"policy {policyName} is notify-only: no rollback", Actor, cancellationToken);
                return;
            case PolicyMode.Approve when Rewind.Core.Approvals.ApprovalMatrix.RuleFor(config.Current.Approvals, componentName, incident.Severity, $"policy:{policyName}") is not null:
                break; // the authorisation matrix covers it: the rollback is prepared and waits for its approvers
            case PolicyMode.Approve:
                await store.AppendTimelineAsync(new TimelineEvent(incident.Id, time.GetUtcNow(), TimelineKinds.Decision, $"policy {policyName} needs a person's approval: run `rewind rollback {componentName}` to roll back", Actor, TimelineMilestones.ApprovalNeeded), cancellationToken);
                return;
        }

        if (await AutomaticRollbackRefusedAsync(componentName, policyName, policy, incident, version, now, cancellationToken))
        {
            return;
        }

        var outcome = await coordinator.RequestAsync(componentName, $"policy {policyName}: {evidence}", $"policy:{policyName}", incident.Id, new PlanOptions(Policy: policyName), null, cancellationToken);
        if (outcome.ConflictId is { } active)
        {
            await Timeline(incident.Id, TimelineKinds.Decision, $"rollback {active} is already acting on {componentName}; no second rollback", Actor, cancellationToken);
        }
        else if (outcome.Refusal is { } refusal)
        {
            await Timeline(incident.Id, TimelineKinds.Escalation, $"no rollback: {refusal}; nothing was touched; paging a human", Actor, cancellationToken);
            EngineLog.RollbackRefused(logger, componentName, refusal + "; a human must decide");
        }
    }

    /// <summary>No automatic rollback inside the cooldown (deferred to its end) or beyond the limit per window (a human decides).</summary>
    private async Task<bool> AutomaticRollbackRefusedAsync(string componentName, string policyName, PolicyConfig policy, Incident incident, string? version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recent = await store.GetRollbacksAsync(1, componentName, cancellationToken);
        if (recent.Count > 0 && recent[0].RequestedBy.StartsWith("policy:", StringComparison.Ordinal) && now - recent[0].RequestedAt < policy.Cooldown)
        {
            var until = recent[0].RequestedAt + policy.Cooldown;
            var message = $"automatic rollback deferred: {recent[0].Id} ran {Durations.Format(now - recent[0].RequestedAt)} ago, inside the cooldown of {Durations.Format(policy.Cooldown)}; Rewind rolls back at {Timestamps.Format(until)} if policy {policyName} still holds then; a human may decide sooner";
            await Timeline(incident.Id, TimelineKinds.Escalation, message, Actor, cancellationToken);
            EngineLog.RollbackRefused(logger, componentName, message);
            Hold(componentName, policyName, version, until, "the cooldown ended");
            return true;
        }

        if (config.Component(componentName)?.AutoRollbackLimit is { } limit)
        {
            var automatic = (await store.GetRollbacksAsync(limit.Count + 1, componentName, cancellationToken))
                .Count(r => r.RequestedBy.StartsWith("policy:", StringComparison.Ordinal) && now - r.RequestedAt < limit.Window);
            if (automatic >= limit.Count)
            {
                var message = $"automatic rollback limit reached: {automatic} automatic rollbacks of {componentName} in the last {Durations.Format(limit.Window)}; no more without a human";
                await Timeline(incident.Id, TimelineKinds.Escalation, message, Actor, cancellationToken);
                EngineLog.RollbackRefused(logger, componentName, message);
                return true;
            }
        }

        return false;
    }

    private async Task RecoverAsync(string componentName, string policyName, ComponentConfig component, string reason, CancellationToken cancellationToken)
    {
        EngineLog.PolicyRecovered(logger, componentName, policyName);
        if (component.Policies[policyName].Shadow || !await StillActingAsync(componentName, _observedVersion.GetValueOrDefault(componentName), cancellationToken)
            || await store.GetOpenIncidentAsync(componentName, cancellationToken) is not { } incident)
        {
            return;
        }

        await Timeline(incident.Id, TimelineKinds.Evidence, $"policy {policyName} no longer holds: {reason}", $"policy:{policyName}", cancellationToken);
        if (component.Policies.Any(p => !p.Value.Shadow && StateOf(componentName, p.Key).Firing))
        {
            return; // another policy still holds: the episode goes on
        }

        // The episode is over without a rollback acting (notify or approve mode, or a fix deployed by people).
        await ResolveAsync(incident.Id, $"every policy of {componentName} has recovered; incident resolved without a rollback", cancellationToken);
    }

    /// <summary>
    /// After the serving release changed (a fix deployed by people, or a rollback that failed after its switch), an
    /// incident still open is resolved once every policy has seen <c>recover-after</c> passes in a row on the new release.
    /// </summary>
    private async Task ResolveCarriedOverIncidentAsync(string name, ComponentConfig component, string? version, CancellationToken cancellationToken)
    {
        if (!_awaitingRecovery.TryGetValue(name, out var awaiting) || !awaiting || component.Policies.Count == 0
            || !component.Policies.All(p => p.Value.Shadow || HeldClean(name, p.Key, p.Value, version))
            || !await StillActingAsync(name, version, cancellationToken))
        {
            return;
        }

        _awaitingRecovery[name] = false;
        if (await store.GetOpenIncidentAsync(name, cancellationToken) is { } incident)
        {
            await ResolveAsync(incident.Id, $"{name} is healthy on {version ?? "its current release"}: every policy has held clean since it was deployed; incident resolved", cancellationToken);
        }
    }

    /// <summary>
    /// Whether a policy has held clean on <paramref name="version"/>: a probe or signal condition has passed
    /// <c>recover-after</c> evaluations in a row; a regression test has counted traffic of that release and not fired;
    /// conditions evaluated only over windows (counts, fractions, trends, composites) are not firing.
    /// </summary>
    private bool HeldClean(string name, string policyName, PolicyConfig policy, string? version)
    {
        var state = StateOf(name, policyName);
        return policy.When switch
        {
            { Regression: not null } => _regressions.TryGetValue((name, policyName), out var watch) && string.Equals(watch.Version, version, StringComparison.Ordinal)
                && !watch.Fired && (watch.Test is null || watch.Test.Events > 0),
            { Kind: "probe" or "signal" } => !state.Firing && state.ConsecutiveSuccesses >= policy.When.RecoverAfter,
            _ => !state.Firing,
        };
    }

    /// <summary>Resolves the incident and appends the entry saying why, in one transaction; nothing when it is resolved already.</summary>
    private async Task ResolveAsync(string incidentId, string message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.SetIncidentStatusAsync(incidentId, IncidentStatus.Resolved, now, new TimelineEvent(incidentId, now, TimelineKinds.Resolved, message, Actor), cancellationToken);
        changes.Poke();
    }

    private async Task Timeline(string incidentId, string kind, string message, string actor, CancellationToken cancellationToken)
    {
        await store.AppendTimelineAsync(new TimelineEvent(incidentId, time.GetUtcNow(), kind, message, actor), cancellationToken);
        changes.Poke(); // the dashboard shows an opened incident or a decision now, not at its next read of the store
    }
}
