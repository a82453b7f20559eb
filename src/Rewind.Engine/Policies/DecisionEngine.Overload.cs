using System.Collections.Concurrent;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Policies;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Policies;

/// <summary>
/// The overload gate. An automatic rollback driven by probes (a probe, count-of-probe-failures, member-fraction or
/// composite policy) waits while the monitor cannot be believed: the controller is overloaded and the failure is one
/// it can cause itself (a timeout…), or most components fail the same way at once. The incident is open, the evidence
/// written and a human paged; nothing is rolled back.
/// </summary>
/// <remarks>
/// The policy stays firing. While its incident is open and its condition still holds, the gate is asked again at every
/// condition tick (once a second); once the verdict is conclusive the policy fires again with fresh evidence and acts
/// as its mode says (cooldown and rollback limit included). A failure that ends first ends the episode as usual.
/// </remarks>
internal sealed partial class DecisionEngine
{
    private readonly ConcurrentDictionary<(string Component, string Policy), HeldRollback> _heldByOverload = new();

    /// <summary>Asks the gate once more for every held rollback whose failure goes on; acts on those the monitor now believes.</summary>
    public async Task RetryHeldAsync(CancellationToken cancellationToken = default)
    {
        using var pinned = config.Pin(); // one config for the whole observation, whatever a reload does meanwhile
        foreach (var (key, held) in _heldByOverload)
        {
            if (config.Component(key.Component) is not { } component || !component.Policies.TryGetValue(key.Policy, out var policy))
            {
                _heldByOverload.TryRemove(key, out _);
                continue;
            }

            await WithLockAsync(key.Component, async () =>
            {
                var (acting, _, version) = await GateAsync(key.Component, component, cancellationToken);
                var state = StateOf(key.Component, key.Policy);
                if (!state.Firing || await store.GetOpenIncidentAsync(key.Component, cancellationToken) is not { } incident || incident.Id != held.IncidentId)
                {
                    _heldByOverload.TryRemove(key, out _); // the episode ended: recovered, another release serving, or resolved by a person
                    return;
                }

                if (acting && state.ConsecutiveFailures > 0 && health.Monitor.Judge(key.Component, ProbesBehind(component, policy), time.GetUtcNow()).Conclusive)
                {
                    EngineLog.RollbackReleased(logger, key.Component, key.Policy);
                    await FireAsync(key.Component, key.Policy, policy, RetryEvidence(key.Component, policy, state, held), version, cancellationToken);
                }
            });
        }
    }

    /// <summary>
    /// True when the rollback must wait: the escalation is written once per incident and policy. False when the policy
    /// may act: not automatic, not driven by probes, or a failure the monitor believes.
    /// </summary>
    private async Task<bool> HoldWhileInconclusiveAsync(string incidentId, string componentName, string policyName, PolicyConfig policy, string evidence, CancellationToken cancellationToken)
    {
        if (policy.Mode != PolicyMode.Auto || config.Component(componentName) is not { } component || ProbesBehind(component, policy) is not { Count: > 0 } probes)
        {
            return false;
        }

        var key = (componentName, policyName);
        var verdict = health.Monitor.Judge(componentName, probes, time.GetUtcNow());
        if (verdict.Conclusive)
        {
            if (_heldByOverload.TryRemove(key, out _))
            {
                await Timeline(incidentId, TimelineKinds.Decision, $"the monitor can be believed again and policy {policyName} still holds: acting on it", Actor, cancellationToken);
            }

            return false;
        }

        var first = !_heldByOverload.TryGetValue(key, out var before) || before.IncidentId != incidentId;
        _heldByOverload[key] = new HeldRollback(incidentId, evidence);
        if (first)
        {
            await Timeline(incidentId, TimelineKinds.Escalation, $"automatic rollback held: {verdict.Reason}; a human must decide (if the failure outlasts this, the policy acts then)", Actor, cancellationToken);
            EngineLog.RollbackHeld(logger, componentName, policyName, verdict.Reason!);
            metrics.RollbacksHeld.Inc(componentName, policyName);
        }

        return true;
    }

    /// <summary>The probes whose failures a policy acts on; empty for policies on other signals (metrics, events, regressions).</summary>
    private static List<string> ProbesBehind(ComponentConfig component, PolicyConfig policy) => policy.When switch
    {
        { Kind: "probe" } => [policy.When.Probe],
        { Count.ProbeFailures: { } probe } => [probe],
        { Fraction: { } fraction } => Members(component, fraction),
        { Composite: not null } => [.. component.Probes.Keys],
        _ => [],
    };

    private string RetryEvidence(string componentName, PolicyConfig policy, PolicyState state, HeldRollback held)
    {
        var now = time.GetUtcNow();
        if (policy.When.Kind != "probe")
        {
            return $"{held.Evidence}; {state.HeldFor(now)}";
        }

        var error = health.Latest(componentName, policy.When.Probe)?.Error;
        return state.Describe(policy.When.Probe, now) + (error is null ? "" : $"; last error: {error}");
    }

    private sealed record HeldRollback(string IncidentId, string Evidence);
}
