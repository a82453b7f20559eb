using Rewind.Core.Runbooks;
using Rewind.Runtime.Releases;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// Runs <see cref="FilesRestoreStep"/>: the target release's copy of the files put in place, the current ones kept for
/// undo. An interrupted restore is read back before it runs again: in place only when every entry of the copy matches.
/// </summary>
public sealed class FilesStepRunner(TimeProvider time) : IStepRunner, IStepStateReader
{
    public string Kind => FilesRestoreStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        RunAsync(planStep, StepContext.Detached, cancellationToken);

    public Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var planned = StepRunnerGuard.Expect<FilesRestoreStep>(planStep);
        cancellationToken.ThrowIfCancellationRequested();
        var undo = FilesRestoreStep.UndoDirectory(planned.Store, context.RollbackId == "-" ? $"detached-{time.GetUtcNow():yyyyMMddTHHmmssfff}" : context.RollbackId);
        try
        {
            var result = ConfigFileCopies.Restore(planned.CopyDirectory, planned.Paths, undo, $"files before {context.RollbackId}", time.GetUtcNow());
            return Task.FromResult(new StepOutcome(result.Succeeded, result.Message));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(StepOutcome.Failure($"keeping the current files in {undo} failed: {ex.Message}; nothing was changed"));
        }
    }

    public string? InPlace(PlanStep planStep)
    {
        var planned = StepRunnerGuard.Expect<FilesRestoreStep>(planStep);
        return ConfigFileCopies.InPlace(planned.CopyDirectory, planned.Paths);
    }
}
