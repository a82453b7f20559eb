using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Runbooks;

/// <summary>Records a rollback step's process groups in the store while they run.</summary>
internal sealed class StepProcessRecorder(IStepProcessLedger ledger, string rollbackId, int stepIndex) : IProcessRecorder
{
    public Task StartedAsync(StepProcess process, CancellationToken cancellationToken = default) =>
        ledger.AddStepProcessAsync(rollbackId, stepIndex, process, cancellationToken);

    public Task EndedAsync(StepProcess process, CancellationToken cancellationToken = default) =>
        ledger.RemoveStepProcessAsync(rollbackId, stepIndex, process, cancellationToken);
}
