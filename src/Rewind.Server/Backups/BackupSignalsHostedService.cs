using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Backups;
using Rewind.Core.Configuration;
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
/// The repository of a cluster on another host (<c>host:</c>) is measured there by the host's agent; its measurement
/// stands for a minute, then the source fails as well.
/// </summary>
internal sealed partial class BackupSignalsHostedService(ConfigHolder config, IStore store, DecisionEngine engine, RewindServerOptions options, TimeProvider time, ILogger<BackupSignalsHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private const string Kind = "backups";
    private const string Source = "repository";

    /// <summary>How long an agent's measurement of a repository stands (it sends one every 10 s).</summary>
    private static readonly TimeSpan MeasurementKept = TimeSpan.FromMinutes(1);

    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        config.FollowAsync(c => c.Components.Values.Any(x => x.Backups is not null), (current, cancellationToken) => current.Components.Values.Any(c => c.Backups is not null)
            ? PeriodicLoop.RunAsync(options.BackupSignalInterval, time, MeasureAllAsync, ex => LogFailed(logger, ex), cancellationToken)
            : Task.CompletedTask, stoppingToken);

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
        var declared = config.Component(component)!;
        var (newestWal, newestSet, failure) = declared.Host is { } host
            ? await MeasuredOnAsync(component, host, cancellationToken)
            : await MeasureHereAsync(component, cancellationToken);
        if (failure is not null)
        {
            await engine.ObserveSourceFailureAsync(component, Kind, Source, failure, cancellationToken);
            return;
        }

        await engine.ObserveSourceSuccessAsync(component, Kind, Source, cancellationToken);
        var drills = await store.GetBackupRunsOfKindAsync(component, BackupRun.Drill, 20, cancellationToken);
        foreach (var point in BackupSignals.Measure(component, time.GetUtcNow(), newestWal, newestSet, drills, declared.Backups!.Verify.MaxAge))
        {
            await engine.ObserveSignalAsync(point, cancellationToken);
        }
    }

    private async Task<(DateTimeOffset? NewestWal, DateTimeOffset? NewestSet, string? Failure)> MeasureHereAsync(string component, CancellationToken cancellationToken)
    {
        var (target, why) = BackupTarget.From(config.Current, component);
        if (target is null)
        {
            return (null, null, why);
        }

        try
        {
            return (await target.Repository.NewestWalArchivedAsync(cancellationToken), await target.Repository.NewestSetFinishedAsync(cancellationToken), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, null, $"backup repository {target.Repository.Root} cannot be read: {ex.Message}");
        }
    }

    /// <summary>A cluster on another host: what its agent last measured there, if recent; otherwise why there is nothing to go by.</summary>
    private async Task<(DateTimeOffset? NewestWal, DateTimeOffset? NewestSet, string? Failure)> MeasuredOnAsync(string component, string host, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await store.GetHostBackupStateAsync(component, cancellationToken) switch
        {
            null => (null, null, $"{host}'s agent has not measured {component}'s backup repository yet (the agent measures it when started with --config, the file rewind wal push reads)"),
            { ReceivedAt: var at } when now - at > MeasurementKept => (null, null, $"{host}'s agent last measured {component}'s backup repository at {Timestamps.Format(at)}, {Durations.Format(now - at)} ago"),
            { Error: { } error } => (null, null, error),
            var measured => (measured.NewestWal, measured.NewestSet, null),
        };
    }

    [LoggerMessage(4203, LogLevel.Error, "Backup signals could not be measured; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
