using Rewind.Core.Configuration;
using Rewind.Core.Policies;

namespace Rewind.Engine.Policies;

/// <summary>Shadow mode: a policy is evaluated on production and its would-be action recorded, without acting or paging.</summary>
internal sealed partial class DecisionEngine
{
    private async Task RecordShadowAsync(string componentName, string policyName, PolicyConfig policy, string evidence, string? version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var action = policy.Mode switch
        {
            PolicyMode.Notify => $"would have opened a {policy.Severity} incident (notify only)",
            PolicyMode.Approve => $"would have opened a {policy.Severity} incident and asked a person to approve a rollback",
            _ => await WouldRollBackAsync(componentName, policy, cancellationToken),
        };
        await store.AddShadowDecisionAsync(new ShadowDecision(componentName, policyName, version, now, action, evidence), cancellationToken);
    }

    private async Task<string> WouldRollBackAsync(string componentName, PolicyConfig policy, CancellationToken cancellationToken)
    {
        var planned = await coordinator.PlanAsync(componentName, new Core.Runbooks.PlanOptions(), cancellationToken);
        return planned.Plan is { Target: { } target } && planned.Refusal is null
            ? $"would have opened a {policy.Severity} incident and rolled {componentName} back from {(await store.GetComponentAsync(componentName, cancellationToken))?.CurrentVersion ?? "unknown"} to {target.Version}"
            : $"would have opened a {policy.Severity} incident and paged: no rollback possible ({planned.Refusal})";
    }
}
