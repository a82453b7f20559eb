using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Releases;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Releases;
using Rewind.Engine.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Releases;

/// <summary>
/// Promotes a baking release to stable (last known good) once it has run its whole bake time without a failed probe
/// sample, every probe passed in that run (no data is not health), no incident is open, and its traffic rules out the
/// configured regression of every regression policy (known good is earned by evidence, not by time alone). A failed
/// sample restarts the bake clock.
/// </summary>
internal sealed class BakeHostedService(
    ConfigHolder config,
    IStore store,
    HealthBoard board,
    TrafficBoard traffic,
    ReleaseEvidence evidence,
    TimeProvider time,
    ILogger<BakeHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly StoreOutageLog _outage = new(time);

    protected override async Task RunAsLeaderAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PromoteAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    if (_outage.Filter(ex) is { } shown)
                    {
                        ServerLog.BakeFailed(logger, shown);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutdown
        }
    }

    internal async Task PromoteAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        // Every component's current release in one query, not two queries per component twice a second.
        var current = (await store.GetCurrentReleasesAsync(cancellationToken)).ToDictionary(r => r.Component, StringComparer.Ordinal);
        foreach (var (name, component) in config.Current.Components)
        {
            if (!current.TryGetValue(name, out var release) || release.State != ReleaseState.Baking
                || ReleaseRecorder.IsDrillRelease(release)
                || !board.HealthyFor(name, HealthBoard.Thresholds(component), release.RecordedAt, component.BakeTime, now)
                || (component.BakeMinRequests > 0 && ((await traffic.OfAsync(name, release.Version, cancellationToken))?.Requests ?? 0) < component.BakeMinRequests)
                || await store.GetOpenIncidentAsync(name, cancellationToken) is not null
                || await store.GetActiveMaintenanceAsync(name, now, cancellationToken) is not null)
            {
                continue;
            }

            if (!(await evidence.ForPromotionAsync(name, release, cancellationToken)).Sufficient)
            {
                continue; // too little traffic to rule out the regression the policies look for: it keeps baking
            }

            if (await store.SetReleaseStateAsync(name, release.Version, ReleaseState.Stable, now, cancellationToken: cancellationToken))
            {
                ServerLog.ReleaseStable(logger, name, release.Version);
            }
        }
    }
}
