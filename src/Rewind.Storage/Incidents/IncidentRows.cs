using Rewind.Core.Incidents;
using Rewind.Storage.Sql;

namespace Rewind.Storage.Incidents;

/// <summary>An <c>incidents</c> row as Dapper reads it.</summary>
internal sealed class IncidentRow
{
    public const string Columns = """
        id AS Id, component AS Component, severity AS Severity, status AS Status, title AS Title, policy AS Policy,
        release AS Release, opened_at AS OpenedAt, resolved_at AS ResolvedAt, acknowledged_at AS AcknowledgedAt,
        acknowledged_by AS AcknowledgedBy, false_positive AS FalsePositive, escalation_level AS EscalationLevel,
        drill_run AS DrillRun
        """;

    public string Id { get; set; } = "";

    public string Component { get; set; } = "";

    public string Severity { get; set; } = "";

    public string Status { get; set; } = "";

    public string Title { get; set; } = "";

    public string? Policy { get; set; }

    public string? Release { get; set; }

    public long OpenedAt { get; set; }

    public long? ResolvedAt { get; set; }

    public long? AcknowledgedAt { get; set; }

    public string? AcknowledgedBy { get; set; }

    public bool FalsePositive { get; set; }

    public int EscalationLevel { get; set; }

    public string? DrillRun { get; set; }

    public Incident ToIncident() => new(
        Id,
        Component,
        DbValues.Parse<Severity>(Severity),
        DbValues.Parse<IncidentStatus>(Status),
        Title,
        Policy,
        DbValues.FromMs(OpenedAt),
        DbValues.FromMs(ResolvedAt),
        Release,
        DbValues.FromMs(AcknowledgedAt),
        AcknowledgedBy,
        FalsePositive,
        EscalationLevel,
        DrillRun);
}

/// <summary>A <c>timeline</c> row as Dapper reads it.</summary>
internal sealed class TimelineRow
{
    public const string Columns = "seq AS Seq, incident_id AS IncidentId, at AS At, kind AS Kind, message AS Message, actor AS Actor, milestone AS Milestone";

    public long Seq { get; set; }

    public string IncidentId { get; set; } = "";

    public long At { get; set; }

    public string Kind { get; set; } = "";

    public string Message { get; set; } = "";

    public string Actor { get; set; } = "";

    public string? Milestone { get; set; }

    public TimelineEvent ToEvent() => new(IncidentId, DbValues.FromMs(At), Kind, Message, Actor, Milestone);
}
