using Rewind.Core.Runbooks;
using Rewind.Runtime.Releases;

namespace Rewind.Runtime.Runbooks;

/// <summary>Runs <see cref="FilesKeepStep"/> on the component's host (by its agent, when a release is recorded): <see cref="ReleaseFiles.Keep"/>.</summary>
public sealed class FilesKeepStepRunner(TimeProvider time) : IStepRunner
{
    public string Kind => FilesKeepStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default)
    {
        var step = planStep as FilesKeepStep ?? throw new ArgumentException($"a files-keep runner cannot run a {planStep.Kind} step", nameof(planStep));
        return Task.FromResult(ReleaseFiles.Keep(step.Component, step.Paths, step.Store, step.Version, step.Stable, time.GetUtcNow()) is { } failure
            ? StepOutcome.Failure(failure)
            : StepOutcome.Success($"kept a copy of {step.Component}'s files for release {step.Version} in {FilesLayout.Release(step.Store, step.Version)}"));
    }
}
