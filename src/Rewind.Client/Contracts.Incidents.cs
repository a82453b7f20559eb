namespace Rewind.Client;

/// <summary>An incident with its append-only timeline and the rollbacks made for it.</summary>
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
    IReadOnlyList<TimelineEventDto> Timeline,
    IReadOnlyList<string> Rollbacks);

public sealed record TimelineEventDto(DateTimeOffset At, string Kind, string Message, string Actor);

/// <summary>Body of <c>POST /api/v1/incidents/{id}/resolve</c>: a person closes the incident, saying why.</summary>
public sealed record ResolveIncidentRequest(string Note, string? ResolvedBy = null);

/// <summary>What a shadow-mode policy would have done, and the evidence it saw. Nothing was acted on.</summary>
public sealed record ShadowDecisionDto(string Component, string Policy, string? Release, DateTimeOffset At, string Action, string Evidence);
