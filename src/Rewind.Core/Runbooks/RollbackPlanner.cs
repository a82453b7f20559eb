using Rewind.Core.Configuration;
using Rewind.Core.Releases;

namespace Rewind.Core.Runbooks;

/// <summary>The result of asking for a plan: either the steps or the reason there can be none.</summary>
public sealed record PlanResult(Release? Target, IReadOnlyList<PlanStep> Steps, string? Refusal)
{
    public bool IsRefused => Refusal is not null;
}

/// <summary>Builds the default release-dir rollback plan: switch, restart, wait healthy. Refuses targets that are not known good.</summary>
public static class RollbackPlanner
{
    public static PlanResult Plan(string componentName, ComponentConfig component, ComponentState? state, IReadOnlyList<Release> releases, string? requestedVersion)
    {
        var current = state?.CurrentVersion;
        Release? target;
        if (requestedVersion is not null)
        {
            target = releases.FirstOrDefault(r => string.Equals(r.Version, requestedVersion, StringComparison.Ordinal));
            if (target is null)
            {
                return Refuse($"release {requestedVersion} of {componentName} is not recorded");
            }

            if (!target.IsKnownGood)
            {
                return Refuse($"release {requestedVersion} of {componentName} is {ReleaseStateMachine.Describe(target.State)}, not known good; only stable releases are rollback targets");
            }
        }
        else
        {
            target = LastKnownGood.Select(releases, current);
            if (target is null)
            {
                return Refuse($"{componentName} has no known-good release to roll back to (none other than {current ?? "the current one"} became stable)");
            }
        }

        if (string.Equals(target.Version, current, StringComparison.Ordinal))
        {
            return Refuse($"{componentName} is already on {target.Version}");
        }

        var provider = component.Provider.ReleaseDir
            ?? throw new InvalidOperationException($"component {componentName} has no release-dir provider");
        var steps = new List<PlanStep> { new SwitchStep(provider.Path, target.Version, current) };
        if (provider.Restart.Count > 0)
        {
            steps.Add(new RestartStep(provider.Restart, provider.Path, provider.RestartTimeout));
        }

        steps.Add(new WaitHealthyStep(componentName, [.. component.Probes.Keys], component.HealthySuccesses, component.HealthyTimeout, new Dictionary<string, ProbeConfig>(component.Probes, StringComparer.Ordinal)));
        return new PlanResult(target, steps, null);

        static PlanResult Refuse(string why) => new(null, [], why);
    }
}
