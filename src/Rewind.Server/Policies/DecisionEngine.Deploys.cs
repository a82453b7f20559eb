using Rewind.Core.Configuration;
using Rewind.Core.Releases;
using Rewind.Server.Hosting;
using Rewind.Server.Signals;

namespace Rewind.Server.Policies;

/// <summary>
/// A deploy is a state. From a release recorded with <c>--deploying</c> (or seen serving with <c>on-drift: record</c>)
/// until it is recorded again without the flag, serves healthy as its version source says, or <c>deploy-grace</c>
/// has passed, the component is shielded: a probe-driven policy that fires is held until the
/// grace ends (and acts then only if it still holds), a failing scrape counts nothing, no traffic is charged to any
/// release unless a version source says which served it, and no rollback starts. Without a version source a healthy
/// answer cannot tell the new release from the old one still serving, so health does not end the deploy; when the
/// grace ends without a record the deploy is taken as done and the release bakes.
/// </summary>
internal sealed partial class DecisionEngine
{
    /// <summary>The deploy in progress on the component, or null. Moves a release whose grace has ended on to baking.</summary>
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
        if (now < until && !ServesHealthy(componentName, component, version, release.RecordedAt, now))
        {
            return new DeployWindow(version, release.RecordedAt, until);
        }

        if (now < until)
        {
            if (await store.SetReleaseStateAsync(componentName, version, ReleaseState.Baking, now, cancellationToken: cancellationToken))
            {
                ServerLog.DeployFinished(logger, componentName, version, "it serves healthy");
            }

            return null;
        }

        // Nobody recorded the end of the deploy: it is taken as done when its grace ends, and the release bakes from its record.
        if (await store.SetReleaseStateAsync(componentName, version, ReleaseState.Baking, now, cancellationToken: cancellationToken))
        {
            ServerLog.DeployFinished(logger, componentName, version, $"its deploy grace of {Durations.Format(component.DeployGrace)} ended");
        }

        return null;
    }

    /// <summary>
    /// With a version source, a deploy ends early once the source names the new release and every probe has passed
    /// since (and none is failing): then a healthy answer is known to come from the new release, not the old one.
    /// </summary>
    private bool ServesHealthy(string componentName, ComponentConfig component, string version, DateTimeOffset recordedAt, DateTimeOffset now) =>
        component.VersionSource is not null && component.Probes.Count > 0
        && _serving.TryGetValue(componentName, out var seen) && string.Equals(seen.Version, version, StringComparison.Ordinal)
        && health.HealthyFor(componentName, HealthBoard.Thresholds(component), seen.Since > recordedAt ? seen.Since : recordedAt, TimeSpan.Zero, now);

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
