using Rewind.Core.Backups;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Backups;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// Runs <see cref="DatabaseRestoreStep"/> where the cluster's data directory is: the live cluster restored in place to
/// the step's restore point (<see cref="BackupTarget.RestoreLiveAsync"/>). On the controller's host for a cluster there,
/// by the agent of the cluster's host otherwise (<paramref name="config"/> and <paramref name="configPath"/> are then the
/// agent's). The planner puts the step after a snapshot and behind its own approval; this runner only refuses what it
/// cannot do (no config path for WAL fetches, not a postgres component).
/// </summary>
public sealed class DatabaseRestoreStepRunner(Func<RewindConfig> config, string? configPath, ProcessRunner runner, string startedWith) : IStepRunner
{
    public string Kind => DatabaseRestoreStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        RunAsync(planStep, StepContext.Detached, cancellationToken);

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        var step = planStep as DatabaseRestoreStep ?? throw new ArgumentException($"a restore runner cannot run a {planStep.Kind} step", nameof(planStep));
        var (target, why) = BackupTarget.From(config(), step.Component);
        if (target?.Tools is null)
        {
            return StepOutcome.Failure($"no restore of {step.Component}: {why ?? "it is not a postgres component"}");
        }

        if (configPath is null)
        {
            return StepOutcome.Failure($"no restore of {step.Component}: the restore replays WAL through `rewind wal fetch --config`, so this process must be started with its config file ({startedWith})");
        }

        var (succeeded, summary) = await target.RestoreLiveAsync(RestoreTarget.AtRestorePoint(step.RestorePoint), configPath, runner, cancellationToken);
        return new StepOutcome(succeeded, summary);
    }
}
