using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Backups;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Policies;
using Rewind.Runtime.Backups;
using Rewind.Server.Hosting;

namespace Rewind.Server.Backups;

/// <summary>
/// Measures each backed-up component's <see cref="BackupSignals"/> on <see cref="RewindServerOptions.BackupSignalInterval"/>
/// and hands them to the decision engine like any other signal, so a policy pages when the RPO or the last passing
/// restore drill runs out. A repository that cannot be read is a failing source (inconclusive, pages), never a zero.
/// </summary>
internal sealed partial class BackupSignalsHostedService(ConfigHolder config, IStore store, DecisionEngine engine, RewindServerOptions options, TimeProvider time, ILogger<BackupSignalsHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private const string Kind = "backups";
    private const string Source = "repository";

    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        config.Current.Components.Values.Any(c => c.Backups is not null)
            ? PeriodicLoop.RunAsync(options.BackupSignalInterval, time, MeasureAllAsync, ex => LogFailed(logger, ex), stoppingToken)
            : Task.CompletedTask;

    /// <summary>Measures and reports every backed-up component's signals once; public for tests.</summary>
    public async Task MeasureAllAsync(CancellationToken cancellationToken)
    {
        foreach (var name in config.Current.Components.Where(c => c.Value.Backups is not null).Select(c => c.Key))
        {
            await MeasureAsync(name, cancellationToken);
        }
    }

    private async Task MeasureAsync(string component, CancellationToken cancellationToken)
    {
        var (target, why) = BackupTarget.From(config.Current, component);
        if (target is null)
        {
            await engine.ObserveSourceFailureAsync(component, Kind, Source, why!, cancellationToken);
            return;
        }

        DateTimeOffset? newestWal, newestSet;
        try
        {
            newestWal = await target.Repository.NewestWalArchivedAsync(cancellationToken);
            newestSet = await target.Repository.NewestSetFinishedAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await engine.ObserveSourceFailureAsync(component, Kind, Source, $"backup repository {target.Repository.Root} cannot be read: {ex.Message}", cancellationToken);
            return;
        }

        await engine.ObserveSourceSuccessAsync(component, Kind, Source, cancellationToken);
        var drills = await store.GetBackupRunsOfKindAsync(component, BackupRun.Drill, 20, cancellationToken);
        foreach (var point in BackupSignals.Measure(component, time.GetUtcNow(), newestWal, newestSet, drills, target.Config.Verify.MaxAge))
        {
            await engine.ObserveSignalAsync(point, cancellationToken);
        }
    }

    [LoggerMessage(4203, LogLevel.Error, "Backup signals could not be measured; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
