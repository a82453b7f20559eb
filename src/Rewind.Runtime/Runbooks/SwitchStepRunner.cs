using Rewind.Core.Runbooks;
using Rewind.Runtime.Releases;

namespace Rewind.Runtime.Runbooks;

/// <summary>Runs <see cref="SwitchStep"/>: moves <c>current</c> to the target release with one atomic rename.</summary>
public sealed class SwitchStepRunner : IStepRunner
{
    public string Kind => SwitchStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default)
    {
        var planned = StepRunnerGuard.Expect<SwitchStep>(planStep);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var result = ReleaseDirectory.Switch(planned);
            return Task.FromResult(new StepOutcome(result.Succeeded, result.Message));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(StepOutcome.Failure($"switch of {planned.CurrentLink} failed: {ex.Message}"));
        }
    }
}
