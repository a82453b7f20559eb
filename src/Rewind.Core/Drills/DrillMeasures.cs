using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Drills;

/// <summary>
/// The figures of a drill, from the stored record only: the fault's time, the incidents opened on its components while
/// it ran (with their rollbacks), and the data check. Each is measured as the incident report measures, from the fault
/// instead of the release:
/// <list type="bullet">
/// <item>detect: from the fault to the first incident opened;</item>
/// <item>decide: from that incident opened to the first rollback requested for any of the drill's incidents;</item>
/// <item>rollback: from a rollback requested to it finished, the longest of the rollbacks that put a component back;</item>
/// <item>recover: from the fault to the last incident recovered (its rollback succeeded, else it was resolved);</item>
/// <item>rpo: the span of acknowledged writes gone after the recovery.</item>
/// </list>
/// </summary>
public static class DrillMeasures
{
    public static IReadOnlyList<DrillMeasure> Of(DateTimeOffset faultAt, IReadOnlyList<IncidentRecord> incidents, DrillDataLoss? data, DrillTargetsConfig targets)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(targets);
        var fault = $"the fault ({IncidentTimings.Time(faultAt)})";
        var ordered = incidents.OrderBy(r => r.Incident.OpenedAt).ToList();
        var measures = new List<DrillMeasure>
        {
            MeasureDetect(fault, faultAt, ordered, targets.Detect),
            MeasureDecide(ordered, targets.Decide),
            MeasureRollback(ordered, targets.Rollback),
            MeasureRecover(fault, faultAt, ordered, targets.Recover),
        };
        if (data is not null || targets.Rpo is not null)
        {
            measures.Add(MeasureRpo(data, targets.Rpo));
        }

        return measures;
    }

    /// <summary>When an incident counts as recovered: its first rollback that succeeded finished, else it was resolved; null while neither.</summary>
    public static DateTimeOffset? RecoveredAt(IncidentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Rollbacks.Where(r => r is { Status: RollbackStatus.Succeeded, FinishedAt: not null }).Select(r => r.FinishedAt).Min()
            ?? record.Incident.ResolvedAt;
    }

    /// <summary>Passed when at least one incident was opened and recovered and no declared target was missed.</summary>
    public static DrillRunStatus Outcome(IReadOnlyList<DrillMeasure> measures)
    {
        ArgumentNullException.ThrowIfNull(measures);
        var recovered = measures.Any(m => m.Name == DrillReport.Recover && m.Measured is not null);
        return recovered && measures.All(m => m.Verdict != DrillVerdict.Fail) ? DrillRunStatus.Passed : DrillRunStatus.Failed;
    }

    private static DrillMeasure MeasureDetect(string fault, DateTimeOffset faultAt, List<IncidentRecord> incidents, TimeSpan? target) =>
        incidents.FirstOrDefault() is { } first
            ? Judge(DrillReport.Detect, first.Incident.OpenedAt - faultAt, target, $"from {fault} to incident {first.Incident.Id} opened ({IncidentTimings.Time(first.Incident.OpenedAt)})")
            : Judge(DrillReport.Detect, null, target, "not measured: no incident was opened on the drill's components");

    private static DrillMeasure MeasureDecide(List<IncidentRecord> incidents, TimeSpan? target)
    {
        if (incidents.FirstOrDefault() is not { } first)
        {
            return Judge(DrillReport.Decide, null, target, "not measured: no incident was opened");
        }

        return incidents.SelectMany(r => r.Rollbacks).OrderBy(r => r.RequestedAt).FirstOrDefault() is { } rollback
            ? Judge(DrillReport.Decide, rollback.RequestedAt - first.Incident.OpenedAt, target, $"from incident {first.Incident.Id} opened ({IncidentTimings.Time(first.Incident.OpenedAt)}) to rollback {rollback.Id} requested ({IncidentTimings.Time(rollback.RequestedAt)})")
            : Judge(DrillReport.Decide, null, target, "not measured: no rollback was requested");
    }

    private static DrillMeasure MeasureRollback(List<IncidentRecord> incidents, TimeSpan? target)
    {
        var succeeded = incidents
            .Select(r => r.Rollbacks.Where(b => b is { Status: RollbackStatus.Succeeded, FinishedAt: not null }).OrderBy(b => b.FinishedAt).FirstOrDefault())
            .OfType<Rollback>()
            .ToList();
        if (succeeded.Count == 0)
        {
            var failed = incidents.SelectMany(r => r.Rollbacks).FirstOrDefault(b => b.Status == RollbackStatus.Failed);
            return Judge(DrillReport.Rollback, null, target, failed is null ? "not measured: no rollback succeeded" : $"not measured: rollback {failed.Id} failed ({failed.Error ?? "see its record"})");
        }

        var longest = succeeded.MaxBy(b => b.FinishedAt!.Value - b.RequestedAt)!;
        var others = succeeded.Count == 1 ? "" : $"; the longest of {succeeded.Count}";
        return Judge(DrillReport.Rollback, longest.FinishedAt!.Value - longest.RequestedAt, target, $"from rollback {longest.Id} of {longest.Component} requested ({IncidentTimings.Time(longest.RequestedAt)}) to it succeeded ({IncidentTimings.Time(longest.FinishedAt!.Value)}){others}");
    }

    private static DrillMeasure MeasureRecover(string fault, DateTimeOffset faultAt, List<IncidentRecord> incidents, TimeSpan? target)
    {
        if (incidents.Count == 0)
        {
            return Judge(DrillReport.Recover, null, target, "not measured: no incident was opened");
        }

        var recovered = incidents.Select(r => (Record: r, At: RecoveredAt(r))).ToList();
        if (recovered.FirstOrDefault(r => r.At is null) is { Record: { } open })
        {
            return Judge(DrillReport.Recover, null, target, $"not measured: incident {open.Incident.Id} of {open.Incident.Component} did not recover (no rollback succeeded, not resolved)");
        }

        var last = recovered.MaxBy(r => r.At!.Value);
        return Judge(DrillReport.Recover, last.At!.Value - faultAt, target, $"from {fault} to incident {last.Record.Incident.Id} of {last.Record.Incident.Component} recovered ({IncidentTimings.Time(last.At!.Value)})");
    }

    private static DrillMeasure MeasureRpo(DrillDataLoss? data, TimeSpan? target)
    {
        if (data is null || data.Error is not null)
        {
            return Judge(DrillReport.Rpo, null, target, $"not measured: {data?.Error ?? "no data check"}");
        }

        var span = data.Lost == 0
            ? $"no acknowledged write lost ({data.Acknowledged} of {data.Written} writes acknowledged, all found after the recovery)"
            : $"{data.Lost} of {data.Acknowledged} acknowledged writes lost, written from {IncidentTimings.Time(data.FirstLost!.Value)} to {IncidentTimings.Time(data.LastLost!.Value)}";
        return Judge(DrillReport.Rpo, data.Span, target, span);
    }

    private static DrillMeasure Judge(string name, TimeSpan? measured, TimeSpan? target, string span) =>
        new(name, measured, target, target is not { } limit ? DrillVerdict.NotJudged : measured is { } value && value <= limit ? DrillVerdict.Pass : DrillVerdict.Fail, span);
}
