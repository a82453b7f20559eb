using Rewind.Core.Backups;
using Rewind.Core.Runbooks;
using Rewind.Engine.Hosting;
using Rewind.Runtime.Backups;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Runbooks;

namespace Rewind.Engine.Backups;

/// <summary>
/// Runs <see cref="DatabaseRestoreStep"/> on the controller's host: the live cluster restored in place to the step's
/// restore point (<see cref="BackupTarget.RestoreLiveAsync"/>). The planner puts the step after a snapshot and behind its
/// own approval; this runner only refuses what it cannot do (no config path for WAL fetches, not a postgres component).
/// </summary>
internal sealed class DatabaseRestoreStepRunner(ConfigHolder config, RewindEngineOptions options, ProcessRunner runner) : IStepRunner
{
    public string Kind => DatabaseRestoreStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        RunAsync(planStep, StepContext.Detached, cancellationToken);

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        var step = planStep as DatabaseRestoreStep ?? throw new ArgumentException($"a restore runner cannot run a {planStep.Kind} step", nameof(planStep));
        var (target, why) = BackupTarget.From(config.Current, step.Component);
        if (target?.Tools is null)
        {
            return StepOutcome.Failure($"no restore of {step.Component}: {why ?? "it is not a postgres component"}");
        }

        if (options.ConfigPath is null)
        {
            return StepOutcome.Failure($"no restore of {step.Component}: the controller replays WAL through `rewind wal fetch --config`, so it must be started with its config file (rewind serve --config)");
        }

        var (succeeded, summary) = await target.RestoreLiveAsync(RestoreTarget.AtRestorePoint(step.RestorePoint), options.ConfigPath, runner, cancellationToken);
        return new StepOutcome(succeeded, summary);
    }
}
