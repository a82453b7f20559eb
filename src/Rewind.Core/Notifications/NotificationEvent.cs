namespace Rewind.Core.Notifications;

/// <summary>
/// What people are told. About an incident, each maps from one timeline entry: <c>opened</c>, <c>escalation</c> and
/// <c>resolved</c> by the entry's kind, the others by its milestone (<see cref="Incidents.TimelineMilestones"/>). About
/// the controller itself, <c>controller-fault</c> and <c>controller-recovered</c> come from no entry.
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

    /// <summary>
    /// The controller's own fault (its store unreachable or refusing writes, its disk nearly full, its executor
    /// crash-looping): sent without the store, so it arrives while the store is what failed. No incident.
    /// </summary>
    ControllerFault,

    /// <summary>A controller fault that was paged has ended.</summary>
    ControllerRecovered,
}

/// <summary>Where an outbox message stands: waiting (never tried, or retrying), sent, or given up.</summary>
public enum NotificationStatus
{
    Pending,
    Sent,
    Failed,
}
