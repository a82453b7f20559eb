using Rewind.Core.Configuration;
using Rewind.Core.Releases;
using Rewind.Server.Hosting;
using Rewind.Server.Signals;

namespace Rewind.Server.Policies;

/// <summary>
/// A deploy is a state. From a release recorded with <c>--deploying</c> until it serves healthy (every probe has
/// passed since it was recorded and none is failing) or <c>deploy-grace</c> has passed, the component is shielded:
/// a probe-driven policy that fires is held until the grace ends (and acts then only if it still holds), a failing
/// scrape counts nothing, and no rollback starts. A regression test is not held: it judges the new release's own
/// traffic. When the release first serves healthy its deploy is over and it starts to bake.
/// </summary>
internal sealed partial class DecisionEngine
{
    /// <summary>The deploy in progress on the component, or null. Moves a release that serves healthy on to baking.</summary>
    public async Task<DeployWindow?> DeployWindowAsync(string componentName, CancellationToken cancellationToken = default)
    {
        if (config.Component(componentName) is not { } component
            || await store.GetComponentAsync(componentName, cancellationToken) is not { CurrentVersion: { } version }
            || await store.GetReleaseAsync(componentName, version, cancellationToken) is not { State: ReleaseState.Deploying } release)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var until = release.RecordedAt + component.DeployGrace;
        if (component.Probes.Count > 0 && health.HealthyFor(componentName, HealthBoard.Thresholds(component), release.RecordedAt, TimeSpan.Zero, now))
        {
            if (await store.SetReleaseStateAsync(componentName, version, ReleaseState.Baking, now, cancellationToken: cancellationToken))
            {
                ServerLog.DeployFinished(logger, componentName, version, "serves healthy");
            }

            return null;
        }

        return now < until ? new DeployWindow(version, release.RecordedAt, until) : null;
    }

    /// <summary>True when the policy's action waits for the deploy in progress; the hold acts when the grace ends.</summary>
    private async Task<bool> HeldByDeployAsync(string componentName, string policyName, PolicyConfig policy, string? version, CancellationToken cancellationToken)
    {
        if (policy.When.Regression is not null || await DeployWindowAsync(componentName, cancellationToken) is not { } window)
        {
            return false;
        }

        Hold(componentName, policyName, version, window.Until, $"the deploy grace of {window.Version} ended");
        ServerLog.PolicyHeldByDeploy(logger, componentName, policyName, window.Version, window.Until);
        return true;
    }
}

/// <summary>A deploy in progress: the release being deployed, when it was recorded, and when its grace ends.</summary>
internal sealed record DeployWindow(string Version, DateTimeOffset Since, DateTimeOffset Until);
