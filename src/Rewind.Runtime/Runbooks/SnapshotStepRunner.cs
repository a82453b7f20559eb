using Npgsql;
using Rewind.Core.Backups;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// Runs <see cref="SnapshotStep"/>: a restore point (instant) or a base backup of a backed-up PostgreSQL component, so
/// the destructive steps after it can be undone by a point-in-time restore. A snapshot that cannot be taken fails the
/// step: nothing destructive runs without one. Run by the controller for a cluster on its own host, by the agent of the
/// cluster's host otherwise (<paramref name="config"/> is then the agent's config file).
/// </summary>
public sealed class SnapshotStepRunner(Func<RewindConfig> config) : IStepRunner
{
    public string Kind => SnapshotStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        RunAsync(planStep, StepContext.Detached, cancellationToken);

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = planStep as SnapshotStep ?? throw new ArgumentException($"a snapshot runner cannot run a {planStep.Kind} step", nameof(planStep));
        var (target, why) = BackupTarget.From(config(), step.Component);
        if (target?.Tools is null)
        {
            return StepOutcome.Failure($"no snapshot of {step.Component}: {why ?? "it is not a postgres component"}; nothing after this step runs");
        }

        try
        {
            if (step.SnapshotKind == "base-backup")
            {
                var (succeeded, summary) = await BackupJobs.RunAsync(target, BackupRun.BaseBackup, null, cancellationToken);
                return new StepOutcome(succeeded, $"base backup of {step.Component}: {summary}");
            }

            var name = SnapshotStep.RestorePointName(context.RollbackId, context.StepIndex);
            var lsn = await PointInTimeRestore.CreateRestorePointAsync(target.ConnectionString, name, cancellationToken);
            return StepOutcome.Success($"restore point {name} on {step.Component} at {lsn}: `rewind backup restore {step.Component} --restore-point {name}` goes back to it");
        }
        catch (NpgsqlException ex)
        {
            return StepOutcome.Failure($"no snapshot of {step.Component}: {ex.Message}; nothing after this step runs");
        }
    }
}
