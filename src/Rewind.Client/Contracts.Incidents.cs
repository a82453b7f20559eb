namespace Rewind.Client;

/// <summary>
/// An incident with its append-only timeline and the rollbacks made for it. <c>AcknowledgedAt</c>/<c>AcknowledgedBy</c>
/// are set once, by the first acknowledgement; <c>FalsePositive</c> is true when it was resolved as not a real problem.
/// <c>DrillRun</c> names the drill run it was opened under: a rehearsal, kept out of the real incidents' figures.
/// </summary>
public sealed record IncidentDto(
    string Id,
    string Component,
    string Severity,
    string Status,
    string Title,
    string? Policy,
    string? Release,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    bool FalsePositive,
    IReadOnlyList<TimelineEventDto> Timeline,
    IReadOnlyList<string> Rollbacks,
    EscalationDto? Escalation = null,
    string? DrillRun = null);

/// <summary>
/// Where an incident stands in its escalation policy: the level reached (0: none yet) of how many, whom it paged, and
/// the next level with when and on what condition it comes (null when none can come: resolved, last level, or only
/// <c>unacknowledged</c> levels left on an acknowledged incident).
/// </summary>
public sealed record EscalationDto(string Policy, int Level, int Levels, IReadOnlyList<string> Contacts, EscalationNextDto? Next);

public sealed record EscalationNextDto(int Level, DateTimeOffset At, string If, IReadOnlyList<string> Contacts);

/// <summary>Body of <c>POST /api/v1/incidents/{id}/escalate</c>: page the next level now, saying why.</summary>
public sealed record EscalateIncidentRequest(string Reason);

public sealed record TimelineEventDto(DateTimeOffset At, string Kind, string Message, string Actor);

/// <summary>
/// Body of <c>POST /api/v1/incidents/{id}/resolve</c>: a person closes the incident, saying why, and whether it was a
/// false positive (not a real problem; counted in the false-positive rate).
/// </summary>
public sealed record ResolveIncidentRequest(string Note, string? ResolvedBy = null, bool FalsePositive = false);

/// <summary>
/// Body of <c>POST /api/v1/incidents/{id}/acknowledge</c>: someone is on it, the authenticated user. <c>By</c> (like
/// <c>by</c> and <c>resolvedBy</c> in the other bodies) is accepted and ignored, for older clients.
/// </summary>
public sealed record AcknowledgeIncidentRequest(string? By = null);

/// <summary>Body of <c>POST /api/v1/incidents/{id}/notes</c>: a line for the timeline, at most 4000 characters.</summary>
public sealed record IncidentNoteRequest(string Text, string? By = null);

/// <summary>Body of <c>POST /api/v1/incidents/{id}/status</c>: <c>mitigating</c> or <c>monitoring</c>, forward only.</summary>
public sealed record IncidentStatusRequest(string Status, string? By = null);

/// <summary>What a shadow-mode policy would have done, and the evidence it saw. Nothing was acted on.</summary>
public sealed record ShadowDecisionDto(string Component, string Policy, string? Release, DateTimeOffset At, string Action, string Evidence);
