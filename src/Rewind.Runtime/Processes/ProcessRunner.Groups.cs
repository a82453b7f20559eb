using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Processes;

public sealed partial class ProcessRunner
{
    /// <summary>
    /// Hands the new process group to the request's recorder before anyone waits on it. A group that cannot be recorded
    /// is ended at once: a process a crash could orphan without a trace must not run.
    /// </summary>
    private async Task<StepProcess?> RecordStartedAsync(ProcessRequest request, Process process, string executable, CancellationToken cancellationToken)
    {
        if (request.Recorder is not { } recorder || ProcessGroups.Read(process.Id) is not { } leader)
        {
            return null; // nothing to record, or it has exited and been reaped already
        }

        var group = new StepProcess(process.Id, leader.StartTime, ProcessGroups.BootId, Environment.MachineName, executable, _timeProvider.GetUtcNow());
        try
        {
            await recorder.StartedAsync(group, cancellationToken);
            return group;
        }
        catch (Exception)
        {
            await EndGroupAsync(process, executable);
            throw;
        }
    }

    /// <summary>Clears the record; a failure to do so is logged, not thrown: the process is over, and a stale record is told apart by its start time.</summary>
    private async Task RecordEndedAsync(ProcessRequest request, StepProcess? group)
    {
        if (group is null || request.Recorder is not { } recorder)
        {
            return;
        }

        try
        {
            await recorder.EndedAsync(group, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotCleared(_logger, ex, group.GroupId, group.Executable);
        }
    }

    /// <summary>Ends the process's whole group (its background children too) and reaps it; false when members outlived SIGKILL.</summary>
    private async Task<bool> EndGroupAsync(Process process, string executable)
    {
        var gone = await ProcessGroups.EndAsync(process.Id, StopGrace, _timeProvider, CancellationToken.None);
        if (!gone)
        {
            LogNotEnded(_logger, process.Id, executable);
        }

        await process.WaitForExitAsync(CancellationToken.None);
        return gone;
    }

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Process group {GroupId} ({Executable}) still has members after SIGTERM and SIGKILL; its record is kept")]
    private static partial void LogNotEnded(ILogger logger, int groupId, string executable);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "The record of process group {GroupId} ({Executable}) could not be cleared")]
    private static partial void LogNotCleared(ILogger logger, Exception exception, int groupId, string executable);
}
