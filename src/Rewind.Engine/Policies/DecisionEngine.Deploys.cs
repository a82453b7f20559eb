using Rewind.Core.Configuration;
using Rewind.Core.Releases;
using Rewind.Core.Signals.Metrics;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;

namespace Rewind.Engine.Policies;

/// <summary>
/// A deploy is a state. From a release recorded with <c>--deploying</c> (or seen serving with <c>on-drift: record</c>)
/// until it serves healthy (after it is recorded again without the flag, or as its version source says) or
/// <c>deploy-grace</c> from the deploy's start has passed, the component is shielded: a probe-driven policy that fires is held until the
/// grace ends (and acts then only if it still holds), a failing scrape counts nothing, no traffic is charged to any
/// release unless a version source says which served it, and no rollback starts. A regression policy is held only until
/// the deploy is recorded done: from then it judges the new release's own traffic. Without a version source a healthy
/// answer cannot tell the new release from the old one still serving, so health does not end the deploy; when the
/// grace ends without a record the deploy is taken as done and the release bakes.
/// </summary>
internal sealed partial class DecisionEngine
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Version, DateTimeOffset Since)> _deployStarts = new(StringComparer.Ordinal);

    /// <summary>When a deployed release was first seen serving healthy: traffic counted before then is its start's, not its own.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Version, DateTimeOffset At)> _readySince = new(StringComparer.Ordinal);

    /// <summary>A deploy starts (<c>release record --deploying</c>): its grace counts from now, also after it is recorded done.</summary>
    public void DeployStarted(string componentName, string version, DateTimeOffset at) => _deployStarts[componentName] = (version, at);

    /// <summary>The deploy in progress on the component, or null. Moves a release whose grace has ended on to baking.</summary>
    public Task<DeployWindow?> DeployWindowAsync(string componentName, CancellationToken cancellationToken = default) =>
        DeployWindowAsync(componentName, fresh: false, cancellationToken);

    /// <summary>From the facts held (<paramref name="fresh"/>: read from the store); a deploy is ended only on facts read again.</summary>
    private async Task<DeployWindow?> DeployWindowAsync(string componentName, bool fresh, CancellationToken cancellationToken)
    {
        var held = fresh ? await facts.ReadAsync(componentName, cancellationToken) : await facts.GetAsync(componentName, cancellationToken);
        if (config.Component(componentName) is not { } component || held.Release is not { } release)
        {
            return null;
        }

        var version = release.Version;
        var now = time.GetUtcNow();
        if (release.State != ReleaseState.Deploying)
        {
            return RecordedDeploy(componentName, component, release, now);
        }

        _deployStarts[componentName] = (version, _deployStarts.TryGetValue(componentName, out var known) && string.Equals(known.Version, version, StringComparison.Ordinal) ? known.Since : release.RecordedAt);
        var until = release.RecordedAt + component.DeployGrace;
        if (now < until && !ServesHealthy(componentName, component, version, release.RecordedAt, now))
        {
            return new DeployWindow(version, release.RecordedAt, until);
        }

        if (!fresh)
        {
            return await DeployWindowAsync(componentName, fresh: true, cancellationToken); // the deploy ends: on what the store says now
        }

        if (now < until)
        {
            _readySince[componentName] = (version, now);
            if (await store.SetReleaseStateAsync(componentName, version, ReleaseState.Baking, now, cancellationToken: cancellationToken))
            {
                EngineLog.DeployFinished(logger, componentName, version, "it serves healthy");
            }

            return null;
        }

        // Nobody recorded the end of the deploy: it is taken as done when its grace ends, and the release bakes from its record.
        if (await store.SetReleaseStateAsync(componentName, version, ReleaseState.Baking, now, cancellationToken: cancellationToken))
        {
            EngineLog.DeployFinished(logger, componentName, version, $"its deploy grace of {Durations.Format(component.DeployGrace)} ended");
        }

        return null;
    }

    /// <summary>
    /// A deploy recorded as done (the release recorded again without <c>--deploying</c>) is still shielded until the new
    /// release first serves healthy (every probe has passed since that record: the pipeline says the new release is in
    /// place, so a healthy answer is its own) or the grace from the deploy's start ends: a pipeline may record before the
    /// restarted process answers.
    /// </summary>
    private DeployWindow? RecordedDeploy(string componentName, ComponentConfig component, Core.Releases.Release release, DateTimeOffset now)
    {
        if (!_deployStarts.TryGetValue(componentName, out var started) || !string.Equals(started.Version, release.Version, StringComparison.Ordinal))
        {
            return null;
        }

        var until = started.Since + component.DeployGrace;
        if (release.State == ReleaseState.Baking && now < until
            && !(component.Probes.Count > 0 && health.HealthyFor(componentName, HealthBoard.Thresholds(component), release.RecordedAt, TimeSpan.Zero, now)))
        {
            return new DeployWindow(release.Version, started.Since, until, Recorded: true);
        }

        if (now < until)
        {
            _readySince[componentName] = (release.Version, now);
        }

        _deployStarts.TryRemove(componentName, out _);
        return null;
    }

    /// <summary>
    /// True when traffic charged to <paramref name="version"/> began before that release was first seen serving healthy
    /// after its deploy: a scrape interval that straddles the moment the new process became ready still holds the
    /// errors of its start (a health check's own 503s while "starting").
    /// </summary>
    private bool CountedBeforeReady(string componentName, string? version, TrafficDelta delta)
    {
        if (!_readySince.TryGetValue(componentName, out var ready) || !string.Equals(ready.Version, version, StringComparison.Ordinal))
        {
            return false;
        }

        if (time.GetUtcNow() - delta.Elapsed < ready.At)
        {
            return true;
        }

        _readySince.TryRemove(componentName, out _); // every later scrape starts after it
        return false;
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
        // A regression test judges the new release's own traffic: it acts once the pipeline has recorded the deploy done,
        // and waits while the switch and restart may still be under way (a rollback would be refused then anyway).
        if (await DeployWindowAsync(componentName, cancellationToken) is not { } window || (policy.When.Regression is not null && window.Recorded))
        {
            return false;
        }

        Hold(componentName, policyName, version, window.Until, $"the deploy grace of {window.Version} ended");
        EngineLog.PolicyHeldByDeploy(logger, componentName, policyName, window.Version, window.Until);
        return true;
    }
}

/// <summary>
/// A deploy in progress: the release being deployed, when the deploy started, when its grace ends, and whether the
/// pipeline has recorded it as done (then the new release is in place and waits only to serve healthy).
/// </summary>
internal sealed record DeployWindow(string Version, DateTimeOffset Since, DateTimeOffset Until, bool Recorded = false);
