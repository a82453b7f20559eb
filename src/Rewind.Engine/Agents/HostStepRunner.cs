using Rewind.Core.Agents;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Runbooks;

namespace Rewind.Engine.Agents;

/// <summary>Runs <see cref="OnHostStep"/>: the step handed to its host's agent (<see cref="HostAttempts"/>), its report the outcome.</summary>
internal sealed class HostStepRunner(HostAttempts attempts) : IStepRunner
{
    public string Kind => OnHostStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        Task.FromResult(StepOutcome.Failure("a step on a host runs only within a rollback"));

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var on = (OnHostStep)planStep;
        var id = HostAttempt.IdOf(context.RollbackId, context.StepIndex, on.Host, on.Step);
        return HostAttempts.Outcome(await attempts.RunAsync(id, context.RollbackId, context.StepIndex, on.Host, on.Step, on.UnreachableWait, cancellationToken));
    }
}
