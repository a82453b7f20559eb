using Microsoft.Extensions.Logging;
using Rewind.Core.Drills;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Drills;

/// <summary>
/// The leader's drill loop, one tick at a time: a run left running by a controller that stopped is closed as aborted
/// (its fault cleared), drills whose schedule is due are requested (or recorded as refused while something real is
/// open), and requested runs are run one after another. A tick that runs a drill lasts as long as the drill.
/// </summary>
internal sealed partial class DrillQueue(DrillRunner runner, IStore store, ConfigHolder config, TimeProvider time, ILogger<DrillQueue> logger)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        foreach (var orphan in (await store.GetOpenDrillRunsAsync(cancellationToken)).Where(r => r.Status == DrillRunStatus.Running))
        {
            var closed = await runner.AbandonAsync(orphan, cancellationToken);
            LogFinished(logger, closed.Id, closed.Drill, DrillRun.Describe(closed.Status), closed.Summary ?? "");
        }

        await RequestDueAsync(cancellationToken);
        foreach (var requested in (await store.GetOpenDrillRunsAsync(cancellationToken)).Where(r => r.Status == DrillRunStatus.Requested))
        {
            LogStarting(logger, requested.Id, requested.Drill, requested.RequestedBy);
            var finished = await runner.RunAsync(requested, cancellationToken);
            LogFinished(logger, finished.Id, finished.Drill, DrillRun.Describe(finished.Status), finished.Summary ?? "");
        }
    }

    private async Task RequestDueAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, drill) in config.Current.Drills)
        {
            if (drill.Schedule is not { } cron)
            {
                continue;
            }

            // Counted from the controller's start at the earliest: a drill missed while it was down is not made the moment
            // it comes back (a controller just restarted after a fault is no time for a game day); it waits for its next time.
            var last = (await store.GetDrillRunsAsync(name, 1, cancellationToken)) is [var newest] ? newest.RequestedAt : _started;
            var due = new Quartz.CronExpression(cron).WithTimeZone(TimeZoneInfo.Utc).GetNextValidTimeAfter(last < _started ? _started : last);
            if (due is null || due > time.GetUtcNow())
            {
                continue;
            }

            if (await runner.RequestAsync(name, drill, "schedule", scheduled: true, cancellationToken) is { Status: DrillRunStatus.Refused } refused)
            {
                LogFinished(logger, refused.Id, name, DrillRun.Describe(refused.Status), refused.Summary ?? "");
            }
        }
    }

    [LoggerMessage(4601, LogLevel.Warning, "Drill run {RunId} of {Drill} starting (requested by {RequestedBy}): its fault is made now")]
    private static partial void LogStarting(ILogger logger, string runId, string drill, string requestedBy);

    [LoggerMessage(4602, LogLevel.Information, "Drill run {RunId} of {Drill} {Outcome}: {Summary}")]
    private static partial void LogFinished(ILogger logger, string runId, string drill, string outcome, string summary);
}
