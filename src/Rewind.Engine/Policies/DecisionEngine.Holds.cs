using System.Collections.Concurrent;
using Rewind.Core.Configuration;
using Rewind.Core.Detectors;
using Rewind.Core.Incidents;

namespace Rewind.Engine.Policies;

/// <summary>
/// Automatic rollbacks held back for a while (a cooldown, a deploy in progress) are not forgotten: when the hold ends and
/// the policy still holds on the same release, the policy fires again and acts. A hold ends without action when the
/// serving release changes or the policy recovers.
/// </summary>
internal sealed partial class DecisionEngine
{
    private readonly ConcurrentDictionary<string, HeldAction> _held = new(StringComparer.Ordinal);

    private void Hold(string componentName, string policyName, string? version, DateTimeOffset until, string why) =>
        _held[componentName] = new HeldAction(policyName, version, until, why);

    /// <summary>Acts on holds that have ended, once a tick; called under the component's lock.</summary>
    private async Task ActOnHeldAsync(string componentName, ComponentConfig component, string? version, CancellationToken cancellationToken)
    {
        if (!_held.TryGetValue(componentName, out var held) || time.GetUtcNow() < held.Until)
        {
            return;
        }

        _held.TryRemove(componentName, out _);
        if (!string.Equals(held.Version, version, StringComparison.Ordinal)
            || !component.Policies.TryGetValue(held.Policy, out var policy)
            || !StillHolds(componentName, held.Policy, policy, version))
        {
            return; // another release serves, or the policy recovered: nothing to act on
        }

        await FireAsync(componentName, held.Policy, policy, $"still holding on {version ?? "the current release"} after {held.Why}", version, cancellationToken);
    }

    private bool StillHolds(string componentName, string policyName, PolicyConfig policy, string? version) =>
        policy.When.Regression is not null
            ? _regressions.TryGetValue((componentName, policyName), out var watch) && string.Equals(watch.Version, version, StringComparison.Ordinal) && watch.Fired
            : StateOf(componentName, policyName).Firing;

    /// <summary>
    /// The component's open incident, its severity raised when a more severe policy fires into it (a P1 into a P3 episode
    /// makes it a P1 incident, paged as one), or a new incident at the policy's severity.
    /// </summary>
    private async Task<Incident> JoinOrOpenIncidentAsync(string componentName, string policyName, PolicyConfig policy, string? version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await store.GetOpenIncidentAsync(componentName, cancellationToken) is not { } open)
        {
            return await store.OpenIncidentAsync(componentName, policy.Severity, $"{componentName}: policy {policyName} fired on release {version ?? "unknown"}", policyName, version, now, $"policy:{policyName}", cancellationToken);
        }

        if (policy.Severity < open.Severity
            && await store.RaiseIncidentSeverityAsync(policy.Severity, new TimelineEvent(open.Id, now, TimelineKinds.Escalation, $"severity raised from {open.Severity} to {policy.Severity}: policy {policyName} ({policy.Severity}) fired into this incident", Actor), cancellationToken))
        {
            changes.Poke();
            return await store.GetIncidentAsync(open.Id, cancellationToken) ?? open;
        }

        return open;
    }

    /// <summary>An automatic rollback held until <see cref="Until"/>; <see cref="Why"/> says what it waits for.</summary>
    internal sealed record HeldAction(string Policy, string? Version, DateTimeOffset Until, string Why);
}
