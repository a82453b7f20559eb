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
}

/// <summary>Where an outbox message stands: waiting (never tried, or retrying), sent, or given up.</summary>
public enum NotificationStatus
{
    Pending,
    Sent,
    Failed,
}
