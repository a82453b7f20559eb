namespace Rewind.Core.Incidents;

/// <summary>
/// An episode of a component hurting users, from the first decision to resolution. <c>AcknowledgedAt</c> is when a
/// person first said "I am on it" (set once, never moved); <c>FalsePositive</c> is set by the person resolving it:
/// the incident was not a real problem. <c>EscalationLevel</c> is the highest level of its escalation policy reached
/// (0: none), only ever raised. <c>DrillRun</c> is the drill run it was opened under (a game day, <c>rewind drill</c>):
/// such an incident is a rehearsal, kept out of the real incidents' figures.
/// </summary>
public sealed record Incident(
    string Id,
    string Component,
    Severity Severity,
    IncidentStatus Status,
    string Title,
    string? Policy,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ResolvedAt = null,
    string? Release = null,
    DateTimeOffset? AcknowledgedAt = null,
    string? AcknowledgedBy = null,
    bool FalsePositive = false,
    int EscalationLevel = 0,
    string? DrillRun = null)
{
    public bool IsOpen => Status != IncidentStatus.Resolved;
}
