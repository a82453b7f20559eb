using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Core.Signals.Metrics;
using Rewind.Engine.Hosting;
using Rewind.Engine.Policies;
using Rewind.Runtime.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>Scrapes every component's metrics endpoints on their interval and hands the traffic between two scrapes to the decision engine.</summary>
internal sealed class ScrapeHostedService(
    ConfigHolder config,
    MetricsScraper scraper,
    DecisionEngine engine,
    TimeProvider time,
    ILogger<ScrapeHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        config.FollowAsync(c => c.Components.ToDictionary(x => x.Key, x => (x.Value.Scrapes, x.Value.VersionSource), StringComparer.Ordinal), (current, cancellationToken) =>
            Task.WhenAll(current.Components.SelectMany(c => c.Value.Scrapes.Select(s => RunAsync(c.Key, s.Key, s.Value, c.Value.VersionSource, cancellationToken)))), stoppingToken);

    private Task RunAsync(string component, string name, ScrapeConfig scrape, VersionSourceConfig? versionSource, CancellationToken stoppingToken)
    {
        var selector = new TrafficSelector(scrape.RequestsMetric, scrape.CodeLabel, scrape.DurationHistogram, scrape.LatencyObjective?.TotalSeconds);
        var signals = ScrapeSignals.Derived.Concat(scrape.Gauges.Keys).Select(s => $"{name}.{s}").ToList();
        var source = versionSource is { Scrape: { } from } versions && string.Equals(from, name, StringComparison.Ordinal) ? versions : null;
        Scrape? previous = null;
        return PeriodicLoop.RunAsync(scrape.Interval, time, async cancellationToken =>
        {
            var result = await scraper.ScrapeAsync(scrape, cancellationToken);
            if (result.Scrape is not { } current)
            {
                await engine.ObserveSourceFailureAsync(component, "scrape", name, result.Error!, cancellationToken);
                foreach (var signal in signals)
                {
                    await engine.ObserveSignalAsync(new SignalPoint(component, signal, time.GetUtcNow(), null, result.Error), cancellationToken);
                }

                return;
            }

            await engine.ObserveSourceSuccessAsync(component, "scrape", name, cancellationToken);
            var serving = source is { Metric: { } metric } ? current.Exposition.Samples.FirstOrDefault(s => string.Equals(s.Name, metric, StringComparison.Ordinal) && s.Label(source.Label) is not null)?.Label(source.Label) : null;
            if (serving is not null)
            {
                await engine.ObserveVersionAsync(component, serving, current.At, cancellationToken);
            }

            if (previous is not null)
            {
                var delta = Traffic.Between(previous, current, selector, scrape.Interval);
                await engine.ObserveTrafficAsync(component, name, delta, serving, cancellationToken);
                foreach (var (signal, value) in ScrapeSignals.Of(name, previous, current, delta, selector, scrape.Gauges))
                {
                    await engine.ObserveSignalAsync(new SignalPoint(component, signal, current.At, value), cancellationToken);
                }
            }

            previous = current;
        }, ex => ServerLog.MonitorLoopFailed(logger, ex, component, name), stoppingToken);
    }
}
