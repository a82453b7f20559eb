namespace Rewind.Core.Incidents;

/// <summary>One append-only line of an incident's timeline.</summary>
public sealed record TimelineEvent(string IncidentId, DateTimeOffset At, string Kind, string Message, string Actor);

/// <summary>The kinds of timeline events the controller writes.</summary>
public static class TimelineKinds
{
    public const string Opened = "opened";
    public const string Evidence = "evidence";
    public const string Decision = "decision";
    public const string Rollback = "rollback";
    public const string Step = "step";
    public const string Escalation = "escalation";
    public const string Suppressed = "suppressed";
    public const string Resolved = "resolved";
    public const string Note = "note";
    public const string Acknowledged = "acknowledged";

    /// <summary>A person moved the incident forward (investigating → mitigating → monitoring).</summary>
    public const string Status = "status";
}
