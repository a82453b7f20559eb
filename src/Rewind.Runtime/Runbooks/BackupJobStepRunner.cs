using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// Runs <see cref="BackupJobStep"/> on the host the component is on (by its agent, for the controller's schedule):
/// the same job the controller runs for a cluster on its own host (<see cref="BackupJobs"/>), read from the agent's config.
/// </summary>
public sealed class BackupJobStepRunner(Func<RewindConfig> config, string? configPath) : IStepRunner
{
    public string Kind => BackupJobStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        RunAsync(planStep, StepContext.Detached, cancellationToken);

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        var step = planStep as BackupJobStep ?? throw new ArgumentException($"a backup job runner cannot run a {planStep.Kind} step", nameof(planStep));
        var (target, why) = BackupTarget.From(config(), step.Component);
        if (target is null)
        {
            return StepOutcome.Failure($"no {step.Job} of {step.Component}: {why}");
        }

        var (succeeded, summary) = await BackupJobs.RunAsync(target, step.Job, configPath, cancellationToken);
        return new StepOutcome(succeeded, summary);
    }
}
