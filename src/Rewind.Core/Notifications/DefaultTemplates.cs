namespace Rewind.Core.Notifications;

/// <summary>
/// The texts an on-call engineer reads at 3 a.m.: what, where, how bad, what Rewind did, and the next step. The first
/// line stands alone (an email's subject, a chat preview).
/// </summary>
public static class DefaultTemplates
{
    public static string For(NotificationEvent kind) => NotificationEvents.IsController(kind) ? ForController(kind) : kind switch
    {
        NotificationEvent.Opened => """
            [{{incident.severity}}] {{incident.component}}: incident {{incident.id}} opened
            {{incident.title}}
            Release serving: {{incident.release}}
            Rewind acts as the policy says; a rollback or an approval request follows if one is due.
            Details: rewind incident show {{incident.id}}
            """,
        NotificationEvent.RollbackStarted => """
            [{{incident.severity}}] {{incident.component}}: rolling back {{rollback.from}} -> {{rollback.to}} ({{rollback.id}})
            Incident {{incident.id}}: {{incident.title}}
            Requested by {{rollback.requested-by}}. Rewind is switching to the last known good now; nothing to do yet.
            Follow it: rewind incident show {{incident.id}}
            """,
        NotificationEvent.RollbackFinished => """
            [{{incident.severity}}] {{incident.component}}: rollback {{rollback.id}} succeeded, {{rollback.to}} is serving and healthy
            Incident {{incident.id}}: {{incident.title}}
            {{rollback.from}} is marked rolled-back and is never a rollback target again.
            Next: find out why {{rollback.from}} failed before deploying again. Record: rewind incident show {{incident.id}}
            """,
        NotificationEvent.RollbackFailed => """
            [{{incident.severity}}] {{incident.component}}: ROLLBACK FAILED {{rollback.id}} ({{rollback.from}} -> {{rollback.to}})
            Incident {{incident.id}}: {{incident.title}}
            Error: {{rollback.error}}
            A person must act now: see what ran with rewind incident show {{incident.id}}, then fix forward or roll back by hand.
            """,
        NotificationEvent.ApprovalNeeded => """
            [{{incident.severity}}] {{incident.component}}: a rollback needs your approval (incident {{incident.id}})
            {{incident.title}}
            Release serving: {{incident.release}}. Rewind has touched nothing.
            To roll back to the last known good: rewind rollback {{incident.component}} (add --dry-run to see the steps first)
            Evidence: rewind incident show {{incident.id}}
            """,
        NotificationEvent.Escalation => """
            [{{incident.severity}}] {{incident.component}}: ESCALATION, a person must decide (incident {{incident.id}})
            {{entry.message}}
            Release serving: {{incident.release}}
            Look: rewind incident show {{incident.id}}; rewind rollback {{incident.component}} --dry-run shows what a rollback would do.
            """,
        NotificationEvent.Notice => """
            [{{incident.severity}}] {{incident.component}}: {{entry.message}}
            Incident {{incident.id}}: {{incident.title}}
            Follow it: rewind incident show {{incident.id}}
            """,
        _ => """
            [{{incident.severity}}] {{incident.component}}: incident {{incident.id}} resolved
            {{entry.message}}
            Nothing more to do now. The record: rewind incident show {{incident.id}}
            """,
    };

    /// <summary>About the controller itself: what failed in Rewind, what that means for the services it watches, where to look.</summary>
    private static string ForController(NotificationEvent kind) => kind switch
    {
        NotificationEvent.ControllerFault => """
            [{{fault.severity}}] REWIND ITSELF on {{controller.host}}: {{fault.kind}}
            {{fault.message}}
            Since {{fault.since}}. While this lasts Rewind may not record, decide or roll back as configured: watch your services yourself.
            Check: curl the controller's /api/v1/health; the store ({{controller.store}}), its disk and the controller's log.
            """,
        _ => """
            [{{fault.severity}}] Rewind on {{controller.host}}: {{fault.kind}} is over after {{fault.duration}}
            {{fault.message}}
            Rewind records, decides and rolls back as configured again. Its health: /api/v1/health
            """,
    };
}
