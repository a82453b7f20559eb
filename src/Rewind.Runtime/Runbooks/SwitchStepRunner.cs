using Rewind.Core.Runbooks;
using Rewind.Runtime.Releases;

namespace Rewind.Runtime.Runbooks;

/// <summary>Runs <see cref="SwitchStep"/>: moves <c>current</c> to the target release with one atomic rename.</summary>
public sealed class SwitchStepRunner : IStepRunner, IStepStateReader
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

    public string? InPlace(PlanStep planStep)
    {
        var planned = StepRunnerGuard.Expect<SwitchStep>(planStep);
        try
        {
            return ReleaseDirectory.ReadCurrentVersion(planned.Root) == planned.TargetVersion
                ? $"{Path.Combine(planned.Root, ReleaseDirectory.CurrentLinkName)} already points at {ReleaseDirectory.ReleasesDirectoryName}/{planned.TargetVersion}"
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // cannot tell: the step runs again, which is harmless
        }
    }
}
