namespace Rewind.Core.Notifications;

/// <summary>
/// What people are told about an incident. Each maps from one timeline entry: <c>opened</c>, <c>escalation</c> and
/// <c>resolved</c> by the entry's kind, the others by its milestone (<see cref="Incidents.TimelineMilestones"/>).
/// </summary>
public enum NotificationEvent
{
    Opened,
    RollbackStarted,
    RollbackFinished,
    RollbackFailed,
    ApprovalNeeded,
    Escalation,
    Resolved,

    /// <summary>A rollback plan's <c>notify</c> step: what the plan is doing now, in the plan's words.</summary>
    Notice,
}

/// <summary>Where an outbox message stands: waiting (never tried, or retrying), sent, or given up.</summary>
public enum NotificationStatus
{
    Pending,
    Sent,
    Failed,
}
