using System.Collections.Concurrent;
using Rewind.Core.Configuration;
using Rewind.Core.Detectors;
using Rewind.Core.Incidents;
using Rewind.Core.Policies;
using Rewind.Core.Releases;
using Rewind.Core.Signals.Metrics;

namespace Rewind.Server.Policies;

/// <summary>Regression against the baseline, on scraped traffic.</summary>
internal sealed partial class DecisionEngine
{
    private readonly ConcurrentDictionary<(string Component, string Policy), RegressionWatch> _regressions = new();

    public async Task ObserveTrafficAsync(string componentName, string scrapeName, TrafficDelta delta, CancellationToken cancellationToken = default)
    {
        if (config.Component(componentName) is not { } component)
        {
            return;
        }

        var gate = _locks.GetOrAdd(componentName, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var version = (await store.GetComponentAsync(componentName, cancellationToken))?.CurrentVersion;
            // While a release is being deployed the serving one is not known: its traffic is charged to no release.
            var deploying = version is not null && await DeployWindowAsync(componentName, cancellationToken) is not null;
            await traffic.RecordAsync(componentName, scrapeName, deploying ? null : version, delta, cancellationToken);
            if (version is null || deploying || await store.GetRollbacksAsync(1, componentName, cancellationToken) is [{ IsActive: true }]
                || await InMaintenanceAsync(componentName, component, cancellationToken))
            {
                return;
            }

            foreach (var (name, policy) in component.Policies.Where(p => p.Value.When.Regression?.Scrape == scrapeName))
            {
                var regression = policy.When.Regression!;
                if (!_regressions.TryGetValue((componentName, name), out var watch) || watch.Version != version)
                {
                    watch = await StartWatchAsync(componentName, version, regression, cancellationToken);
                }

                if (watch.Test is not { } test || test.Verdict == SequentialVerdict.Regressed)
                {
                    _regressions[(componentName, name)] = watch;
                    continue; // a first release (nothing to compare with), or fired once for this release already
                }

                watch = watch with { Test = test.Observe((long)Math.Round(delta.Requests), (long)Math.Round(delta.Bad)) };
                _regressions[(componentName, name)] = watch;
                if (watch.Test.Verdict == SequentialVerdict.Regressed)
                {
                    var said = $"{watch.Test.Describe()}; baseline {watch.BaselineSource}; last scrape {scrapeName}: {delta.Describe()}";
                    await FireAsync(componentName, name, policy, said, version, cancellationToken);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The test of <paramref name="version"/> against its baseline (see <see cref="Releases.ReleaseEvidence"/>); a first
    /// release has none and is not tested: its watch is inert and says so.
    /// </summary>
    private async Task<RegressionWatch> StartWatchAsync(string componentName, string version, RegressionConfig regression, CancellationToken cancellationToken)
    {
        if (await releaseEvidence.BaselineAsync(componentName, version, regression, cancellationToken) is not { } baseline)
        {
            return new RegressionWatch(version, null, "none: the first release of the component becomes the baseline");
        }

        var p1 = Math.Min(0.5, baseline.Rate * regression.Factor);
        return new RegressionWatch(version, SequentialRegressionTest.Start(baseline.Rate, p1, regression.FalseAlarm, regression.Miss), baseline.Source);
    }

    private sealed record RegressionWatch(string Version, SequentialRegressionTest? Test, string BaselineSource);
}
