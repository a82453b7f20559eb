namespace Rewind.Core.Runbooks;

/// <summary>Pending and running rollbacks hold their component's lease; at most one per component.</summary>
public enum RollbackStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
}

public enum StepStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
}
