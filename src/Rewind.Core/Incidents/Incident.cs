namespace Rewind.Core.Incidents;

/// <summary>An episode of a component hurting users, from the first decision to resolution.</summary>
public sealed record Incident(
    string Id,
    string Component,
    Severity Severity,
    IncidentStatus Status,
    string Title,
    string? Policy,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ResolvedAt = null,
    string? Release = null)
{
    public bool IsOpen => Status != IncidentStatus.Resolved;
}
