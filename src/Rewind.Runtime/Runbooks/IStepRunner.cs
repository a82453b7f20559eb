using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Runbooks;

/// <summary>Carries out one kind of <see cref="PlanStep"/> against the protected system.</summary>
public interface IStepRunner
{
    /// <summary>The <see cref="PlanStep.Kind"/> this runner carries out.</summary>
    string Kind { get; }

    /// <summary>
    /// Runs the step once. A step that fails is a failed <see cref="StepOutcome"/>; the caller's cancellation throws.
    /// Retries belong to the executor, not here.
    /// </summary>
    Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default);

    /// <summary>Runs the step once within a rollback; steps that keep per-member records or read secrets use the context.</summary>
    Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default) => RunAsync(planStep, cancellationToken);
}
