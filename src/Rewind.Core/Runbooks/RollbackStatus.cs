namespace Rewind.Core.Runbooks;

/// <summary>Awaiting, pending and running rollbacks hold their component's lease; at most one per component.</summary>
public enum RollbackStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,

    /// <summary>Waiting for the approvals an authorisation rule asks for; holds the lease, touches nothing.</summary>
    Awaiting,

    /// <summary>Denied by an approver: nothing was touched.</summary>
    Cancelled,
}

public enum StepStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
}
