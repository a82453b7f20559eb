using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Engine.Backups;
using Rewind.Engine.Hosting;
using Rewind.Server.Hosting;

namespace Rewind.Server.Backups;

/// <summary>The loop of <see cref="BackupSchedule"/>, every <see cref="RewindServerOptions.BackupScheduleTick"/>, when any component has backups.</summary>
internal sealed partial class BackupScheduleHostedService(BackupSchedule schedule, ConfigHolder config, RewindServerOptions options, TimeProvider time, ILogger<BackupScheduleHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        config.FollowAsync(c => c.Components.Values.Any(x => x.Backups is not null), (current, cancellationToken) => current.Components.Values.Any(c => c.Backups is not null)
            ? PeriodicLoop.RunAsync(options.BackupScheduleTick, time, schedule.RunDueAsync, ex => LogTickFailed(logger, ex), cancellationToken)
            : Task.CompletedTask, stoppingToken);

    [LoggerMessage(4202, LogLevel.Error, "Backup schedule check failed; trying again at the next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
