using System.Collections.Concurrent;
using System.Globalization;
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

                if (watch.Test.Verdict == SequentialVerdict.Regressed)
                {
                    continue; // fired once for this release already
                }

                watch = watch with { Test = watch.Test.Observe((long)Math.Round(delta.Requests), (long)Math.Round(delta.Bad)) };
                _regressions[(componentName, name)] = watch;
                if (watch.Test.Verdict == SequentialVerdict.Regressed)
                {
                    var evidence = $"{watch.Test.Describe()}; baseline {watch.BaselineSource}; last scrape {scrapeName}: {delta.Describe()}";
                    await FireAsync(componentName, name, policy, evidence, version, cancellationToken);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>p0 is the last known good's own bad-event rate when it served enough requests here; else the configured rate.</summary>
    private async Task<RegressionWatch> StartWatchAsync(string componentName, string version, RegressionConfig regression, CancellationToken cancellationToken)
    {
        var releases = await store.GetReleasesAsync(componentName, cancellationToken);
        var lkg = LastKnownGood.Select(releases, version);
        var p0 = regression.BaselineRate;
        var source = string.Create(CultureInfo.InvariantCulture, $"configured rate {100 * p0:0.###} % (the last known good has not served {regression.MinBaselineRequests} requests in Rewind's scrapes)");
        if (lkg is not null && await traffic.OfAsync(componentName, lkg.Version, cancellationToken) is { } measured && measured.Requests >= regression.MinBaselineRequests)
        {
            // A perfect baseline (no bad events) would make any single error decisive: floor it at 1 in 10,000.
            p0 = Math.Clamp(measured.BadRatio, 0.0001, 0.4);
            source = string.Create(CultureInfo.InvariantCulture, $"measured on {lkg.Version}: {measured.Bad:0} bad of {measured.Requests:0} requests");
        }

        var p1 = Math.Min(0.5, p0 * regression.Factor);
        return new RegressionWatch(version, SequentialRegressionTest.Start(p0, p1, regression.FalseAlarm, regression.Miss), source);
    }

    private sealed record RegressionWatch(string Version, SequentialRegressionTest Test, string BaselineSource);
}
