using Microsoft.Extensions.Logging;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Runtime.Processes;

namespace Rewind.Engine.Runbooks;

/// <summary>
/// Before a step runs again, or a rollback stopped at it is aborted: ends the process groups a controller that stopped
/// without clearing them left running for the step, each only after making sure it is the same process (boot id and
/// start time), and says on the timeline what it found and ended.
/// </summary>
internal sealed partial class StepLeftovers(IStore store, TimeProvider time, ILogger<StepLeftovers> logger)
{
    /// <summary>Null when nothing of the step is left running; else why the step must not run again.</summary>
    public async Task<string?> EndAsync(Rollback rollback, RollbackStep step, string then, CancellationToken cancellationToken = default)
    {
        string? blocked = null;
        foreach (var recorded in await store.GetStepProcessesAsync(rollback.Id, step.Index, cancellationToken))
        {
            var outcome = await LeftoverGroups.EndAsync(recorded, ProcessRunner.StopGrace, time, cancellationToken);
            var found = outcome.Describe();
            LogLeftover(logger, rollback.Id, step.Index + 1, found);
            if (outcome.Cleared)
            {
                await store.RemoveStepProcessAsync(rollback.Id, step.Index, recorded, cancellationToken);
            }
            else
            {
                blocked = found + "; the step is not run again over it";
            }

            if (rollback.IncidentId is { } incident)
            {
                var message = $"{rollback.Id} step {step.Index + 1}/{rollback.Steps.Count} {step.Plan.Kind}: {(outcome.Cleared ? found + ", " + then : blocked)}";
                await store.AppendTimelineAsync(new TimelineEvent(incident, time.GetUtcNow(), outcome.Cleared ? TimelineKinds.Step : TimelineKinds.Escalation, message, "executor"), cancellationToken);
            }
        }

        return blocked;
    }

    [LoggerMessage(2101, LogLevel.Warning, "Rollback {RollbackId} step {Index}: {Found}")]
    private static partial void LogLeftover(ILogger logger, string rollbackId, int index, string found);
}
