using Rewind.Core.Incidents;

namespace Rewind.Core.Notifications;

/// <summary>The names of notification events as written in config, API and payloads, and the timeline entries they come from.</summary>
public static class NotificationEvents
{
    public static IReadOnlyList<NotificationEvent> All { get; } = Enum.GetValues<NotificationEvent>();

    /// <summary><c>rollback-started</c> for <see cref="NotificationEvent.RollbackStarted"/>.</summary>
    public static string Name(NotificationEvent value) => value switch
    {
        NotificationEvent.Opened => "opened",
        NotificationEvent.RollbackStarted => TimelineMilestones.RollbackStarted,
        NotificationEvent.RollbackFinished => TimelineMilestones.RollbackFinished,
        NotificationEvent.RollbackFailed => TimelineMilestones.RollbackFailed,
        NotificationEvent.ApprovalNeeded => TimelineMilestones.ApprovalNeeded,
        NotificationEvent.Escalation => "escalation",
        NotificationEvent.Notice => TimelineMilestones.Notice,
        NotificationEvent.ControllerFault => "controller-fault",
        NotificationEvent.ControllerRecovered => "controller-recovered",
        _ => "resolved",
    };

    public static bool TryParse(string name, out NotificationEvent value)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// The event a timeline entry means to people, or null for entries nobody is paged about (evidence, steps, notes).
    /// A milestone wins over the kind: the escalation written when a rollback fails is <c>rollback-failed</c>.
    /// </summary>
    public static NotificationEvent? Of(TimelineEvent entry) => entry.Milestone switch
    {
        TimelineMilestones.RollbackStarted => NotificationEvent.RollbackStarted,
        TimelineMilestones.RollbackFinished => NotificationEvent.RollbackFinished,
        TimelineMilestones.RollbackFailed => NotificationEvent.RollbackFailed,
        TimelineMilestones.ApprovalNeeded => NotificationEvent.ApprovalNeeded,
        TimelineMilestones.Notice => NotificationEvent.Notice,
        _ => entry.Kind switch
        {
            TimelineKinds.Opened => NotificationEvent.Opened,
            TimelineKinds.Escalation => NotificationEvent.Escalation,
            TimelineKinds.Resolved => NotificationEvent.Resolved,
            _ => null,
        },
    };

    /// <summary>Whether the event is about the controller itself, not an incident: <c>{{fault.*}}</c> placeholders instead of <c>{{incident.*}}</c>.</summary>
    public static bool IsController(NotificationEvent value) =>
        value is NotificationEvent.ControllerFault or NotificationEvent.ControllerRecovered;

    /// <summary>Whether the event is about a rollback, so <c>{{rollback.*}}</c> placeholders have values.</summary>
    public static bool IsRollback(NotificationEvent value) =>
        value is NotificationEvent.RollbackStarted or NotificationEvent.RollbackFinished or NotificationEvent.RollbackFailed;
}
