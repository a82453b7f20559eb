using System.Collections.Concurrent;
using Rewind.Core.Configuration;
using Rewind.Core.Detectors;
using Rewind.Core.Incidents;
using Rewind.Core.Policies;
using Rewind.Core.Releases;
using Rewind.Core.Signals.Metrics;

namespace Rewind.Engine.Policies;

/// <summary>Regression against the baseline, on scraped traffic.</summary>
internal sealed partial class DecisionEngine
{
    private readonly ConcurrentDictionary<(string Component, string Policy), RegressionWatch> _regressions = new();
    private readonly ConcurrentDictionary<(string Component, string Version), byte> _served = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _restartSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Version, DateTimeOffset DeploySince, DateTimeOffset First)> _firstTraffic = new(StringComparer.Ordinal);

    /// <summary>
    /// The traffic between two scrapes. It is charged to the release that served it: the version the scrape named
    /// (<paramref name="servingVersion"/>), else the newest reading of the version source, else the recorded release;
    /// without a version source, traffic during a deploy in progress is charged to no release, and with one, traffic from a
    /// restarted process until the version source has read it again. The new release's traffic before its probes first
    /// pass (a deploy still in its window: the process answers but is not ready), within <c>warm-up</c> of its first
    /// request and up to the first scrape that began after, is the restart's, not the release's: it marks the release served but is charged to no release and judged
    /// by no test. So is traffic while a rollback of the component acts, up to the first scrape that began after it
    /// ended (the restarted release's own start). Only the recorded release's own
    /// traffic feeds its regression tests.
    /// </summary>
    public async Task ObserveTrafficAsync(string componentName, string scrapeName, TrafficDelta delta, string? servingVersion = null, CancellationToken cancellationToken = default)
    {
        using var pinned = config.Pin(); // one config for the whole observation, whatever a reload does meanwhile
        if (config.Component(componentName) is not { } component)
        {
            return;
        }

        var gate = _locks.GetOrAdd(componentName, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var held = await facts.GetAsync(componentName, cancellationToken);
            var recorded = held.Version;
            var charged = ChargedVersion(componentName, recorded, servingVersion);
            var window = recorded is null ? null : await DeployWindowAsync(componentName, cancellationToken);
            var unknown = (component.VersionSource is null && window is { Recorded: false })
                || (servingVersion is null && RestartNotYetRead(componentName, component, delta));
            var starting = !unknown && component.Probes.Count > 0 && (WarmingUp(componentName, component, charged, window, delta) || CountedBeforeReady(componentName, charged, delta));
            var rollback = await store.GetRollbacksAsync(1, componentName, cancellationToken) is [var latest] ? latest : null;
            var rollingBack = rollback is { IsActive: true } || (rollback?.FinishedAt is { } finished && time.GetUtcNow() - delta.Elapsed < finished);
            await traffic.RecordAsync(componentName, scrapeName, unknown || starting || rollingBack ? null : charged, delta, cancellationToken);
            if (charged is not null && !unknown && delta.Requests > 0)
            {
                await MarkServedAsync(componentName, charged, time.GetUtcNow() - delta.Elapsed, cancellationToken);
            }

            if (recorded is not { } version || unknown || starting || rollingBack || !string.Equals(charged, recorded, StringComparison.Ordinal) || Drifting(componentName)
                || InMaintenance(componentName, component, held))
            {
                return;
            }

            await JudgeAsync(componentName, component, version, scrapeName, delta, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// True for traffic of the release being deployed while its deploy window is open (its probes have not passed yet)
    /// and within the component's <c>warm-up</c> of its first counted request.
    /// </summary>
    private bool WarmingUp(string componentName, ComponentConfig component, string? charged, DeployWindow? window, TrafficDelta delta)
    {
        if (window is null || charged is null || !string.Equals(charged, window.Version, StringComparison.Ordinal))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var seen = _firstTraffic.AddOrUpdate(
            componentName,
            _ => (charged, window.Since, now - delta.Elapsed),
            (_, old) => string.Equals(old.Version, charged, StringComparison.Ordinal) && old.DeploySince == window.Since ? old : (charged, window.Since, now - delta.Elapsed));
        return now - seen.First < component.WarmUp;
    }

    /// <summary>Feeds the recorded release's traffic to every regression policy on the scrape; fires a policy whose test alarms.</summary>
    private async Task JudgeAsync(string componentName, ComponentConfig component, string version, string scrapeName, TrafficDelta delta, CancellationToken cancellationToken)
    {
        foreach (var (name, policy) in component.Policies.Where(p => p.Value.When.Regression?.Scrape == scrapeName))
        {
            var regression = policy.When.Regression!;
            if (!_regressions.TryGetValue((componentName, name), out var watch) || watch.Version != version)
            {
                watch = await StartWatchAsync(componentName, version, regression, cancellationToken);
            }

            if (watch.Fired || (watch.Test is null && watch.Latency is null))
            {
                _regressions[(componentName, name)] = watch;
                continue; // a first release (nothing to compare with), or fired once for this release already
            }

            string? said = null;
            if (watch.Test is { } test)
            {
                watch = watch with { Test = test.Observe((long)Math.Round(delta.Requests), (long)Math.Round(delta.Bad)) };
                said = watch.Test.Verdict == AnytimeVerdict.Regressed ? $"{watch.Test.Describe()}; baseline {watch.BaselineSource}; last scrape {scrapeName}: {delta.Describe()}" : null;
            }

            if (said is null && watch.Latency is { } latency)
            {
                watch = watch with { Latency = latency.Observe(delta.Latency) };
                said = watch.Latency.Test.Verdict == AnytimeVerdict.Regressed ? $"{watch.Latency.Describe()}; last scrape {scrapeName}: {delta.Describe()}" : null;
            }

            _regressions[(componentName, name)] = watch;
            if (said is not null)
            {
                await FireAsync(componentName, name, policy, said, version, cancellationToken);
            }
        }
    }

    /// <summary>
    /// True from a scrape that shows the process restarted (its counters went back) until the version source has been
    /// read again: whatever served since the restart may be another release (a deploy nobody recorded yet, the errors of
    /// its first seconds), so its traffic is charged to no release rather than to the one read before the restart. At
    /// most for the component's deploy grace: a source that cannot be read leaves the recorded release charged as before.
    /// </summary>
    private bool RestartNotYetRead(string componentName, ComponentConfig component, TrafficDelta delta)
    {
        if (component.VersionSource is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (delta.Reset)
        {
            _restartSeen[componentName] = now;
        }

        return _restartSeen.TryGetValue(componentName, out var restarted)
            && !(_versionReadAt.TryGetValue(componentName, out var read) && read > restarted)
            && now - restarted < component.DeployGrace; // a source that never reads again cannot blind the tests for longer
    }

    /// <summary>Records once when a release was first seen serving; a version not recorded yet is tried again later.</summary>
    private async Task MarkServedAsync(string componentName, string version, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (_served.TryAdd((componentName, version), 0)
            && !await store.MarkReleaseServedAsync(componentName, version, at, cancellationToken)
            && await store.GetReleaseAsync(componentName, version, cancellationToken) is null)
        {
            _served.TryRemove((componentName, version), out _);
        }
    }

    /// <summary>
    /// The tests of <paramref name="version"/> against its baseline (see <see cref="Releases.ReleaseEvidence"/>): the
    /// bad-event rate, and with <c>latency-quantile</c> the quantile's shift, each at α/2 so that the policy's false-alarm
    /// rate stays α. A first release has no baseline and is not tested: its watch is inert and says so.
    /// </summary>
    private async Task<RegressionWatch> StartWatchAsync(string componentName, string version, RegressionConfig regression, CancellationToken cancellationToken)
    {
        if (await releaseEvidence.BaselineAsync(componentName, version, regression, cancellationToken) is not { } baseline)
        {
            return new RegressionWatch(version, null, "none: the first release of the component becomes the baseline");
        }

        var alpha = regression.LatencyQuantile is null ? regression.FalseAlarm : regression.FalseAlarm / 2;
        var latency = await releaseEvidence.LatencyShiftAsync(componentName, version, regression, alpha, cancellationToken);
        return new RegressionWatch(version, AnytimeRegressionTest.Start(baseline.Rate, regression.Factor, alpha, regression.Miss), baseline.Source) { Latency = latency };
    }

    private sealed record RegressionWatch(string Version, AnytimeRegressionTest? Test, string BaselineSource)
    {
        /// <summary>The latency-quantile test; null without <c>latency-quantile</c> or a bound from the last known good.</summary>
        public LatencyShiftTest? Latency { get; init; }

        /// <summary>Either test has fired: final for this release.</summary>
        public bool Fired => Test?.Verdict == AnytimeVerdict.Regressed || Latency?.Test.Verdict == AnytimeVerdict.Regressed;
    }
}
