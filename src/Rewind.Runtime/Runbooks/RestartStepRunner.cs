using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Runbooks;

/// <summary>Runs <see cref="RestartStep"/>: the component's restart argv, which must exit 0 within the step's timeout.</summary>
public sealed class RestartStepRunner(ProcessRunner processRunner) : IStepRunner
{
    public string Kind => RestartStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        RunAsync(planStep, StepContext.Detached, cancellationToken);

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var planned = StepRunnerGuard.Expect<RestartStep>(planStep);
        var result = await processRunner.RunAsync(context.Recorded(new ProcessRequest(planned.Argv, planned.WorkingDirectory, planned.Timeout)), cancellationToken);
        var output = result.Output.Length == 0 ? result.Describe() : result.Describe() + "\n" + result.Output.TrimEnd();
        return new StepOutcome(result.Succeeded, output);
    }
}
