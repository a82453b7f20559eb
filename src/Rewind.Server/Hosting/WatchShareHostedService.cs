using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Engine.Hosting;
using Rewind.Engine.Metrics;
using Rewind.Engine.Shares;

namespace Rewind.Server.Hosting;

/// <summary>
/// Renews this replica's share lease every quarter of the lease and works out the components it watches from the
/// config in force (<see cref="WatchShare"/>); on a clean stop it stops watching and gives the share up, so that the
/// other replicas take its components over at once.
/// </summary>
internal sealed class WatchShareHostedService(WatchShare share, ConfigHolder config, ControllerMetrics metrics, TimeProvider time, ILogger<WatchShareHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PeriodicLoop.RunAsync(share.RenewEvery, time, TickAsync, Failed, stoppingToken);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            await share.ReleaseAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // the share runs out by itself: the others take its components over after the lease
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            await share.TickAsync([.. config.Current.Components.Keys], cancellationToken);
        }
        finally
        {
            metrics.WatchShareComponents.Set(share.Current.Components.Count);
        }
    }

    private void Failed(Exception error) => ShareLog.ShareFailed(logger, error, share.Replica);
}
