namespace Rewind.Core.Incidents;

/// <summary>Investigating → mitigating (a rollback runs) → monitoring → resolved.</summary>
public enum IncidentStatus
{
    Investigating,
    Mitigating,
    Monitoring,
    Resolved,
}
