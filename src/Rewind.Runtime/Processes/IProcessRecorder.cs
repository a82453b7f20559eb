using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Processes;

/// <summary>
/// Where a step keeps a durable record of the process groups it has running (the store, for a rollback's steps), so that
/// a controller killed while one runs leaves enough behind for the next to end it first.
/// </summary>
public interface IProcessRecorder
{
    /// <summary>Called right after the process started and before the runner waits on it; when it throws, the group is ended.</summary>
    Task StartedAsync(StepProcess process, CancellationToken cancellationToken = default);

    /// <summary>Called once the process has exited and, when it was ended, its whole group is gone.</summary>
    Task EndedAsync(StepProcess process, CancellationToken cancellationToken = default);
}
