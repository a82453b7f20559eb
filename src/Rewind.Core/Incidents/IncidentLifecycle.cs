namespace Rewind.Core.Incidents;

/// <summary>
/// The moves a person may make: forward only, investigating → mitigating → monitoring (a step may be skipped).
/// Resolved is reached only by resolving, which says why; nothing leaves resolved.
/// </summary>
public static class IncidentLifecycle
{
    public static string Describe(IncidentStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Parses <c>mitigating</c> or <c>monitoring</c>, the statuses a person may set directly.</summary>
    public static bool TryParseSettable(string? text, out IncidentStatus status)
    {
        status = text?.Trim().ToLowerInvariant() switch
        {
            "mitigating" => IncidentStatus.Mitigating,
            "monitoring" => IncidentStatus.Monitoring,
            _ => IncidentStatus.Investigating,
        };
        return status != IncidentStatus.Investigating;
    }

    /// <summary>Null when the move is allowed, else why not.</summary>
    public static string? Refusal(IncidentStatus from, IncidentStatus to) => (from, to) switch
    {
        (IncidentStatus.Resolved, _) => "the incident is resolved",
        (_, IncidentStatus.Resolved) => "resolve the incident instead, saying why",
        _ when to == from => $"the incident is already {Describe(from)}",
        _ when to < from => $"statuses only move forward (investigating → mitigating → monitoring); the incident is {Describe(from)}",
        _ => null,
    };
}
