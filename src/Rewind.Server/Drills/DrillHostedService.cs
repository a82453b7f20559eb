using Microsoft.Extensions.Logging;
using Rewind.Engine.Drills;
using Rewind.Engine.Hosting;
using Rewind.Server.Hosting;

namespace Rewind.Server.Drills;

/// <summary>The loop of <see cref="DrillQueue"/> on the leader, every second, when any drill is declared.</summary>
internal sealed partial class DrillHostedService(DrillQueue queue, ConfigHolder config, TimeProvider time, ILogger<DrillHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        config.FollowAsync(c => c.Drills.Count > 0, (current, cancellationToken) => current.Drills.Count > 0
            ? PeriodicLoop.RunAsync(Tick, time, queue.TickAsync, ex => LogTickFailed(logger, ex), cancellationToken)
            : Task.CompletedTask, stoppingToken);

    [LoggerMessage(4603, LogLevel.Error, "Drill loop failed; trying again at the next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
