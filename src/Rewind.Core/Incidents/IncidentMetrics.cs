using Rewind.Core.Runbooks;

namespace Rewind.Core.Incidents;

/// <summary>
/// Figures over a set of incidents, for one component or all (<see cref="Component"/> null). Rates and means are null
/// when nothing was there to count: no finished rollback, no resolved incident, no measurable interval.
/// <c>Rollbacks</c> counts the rollbacks made for these incidents, whatever their status; the rollback success rate is
/// succeeded ÷ finished (succeeded or failed) rollbacks; the false-positive rate is incidents resolved as false
/// positive ÷ resolved incidents.
/// </summary>
public sealed record IncidentMetrics(
    string? Component,
    int Incidents,
    int Rollbacks,
    int RollbacksSucceeded,
    int RollbacksFailed,
    double? RollbackSuccessRate,
    TimeSpan? MeanTimeToDetect,
    TimeSpan? MeanTimeToRollBack,
    TimeSpan? MeanTimeToRecover,
    int Resolved,
    int FalsePositives,
    double? FalsePositiveRate)
{
    /// <summary>
    /// One row per component (by name), then the overall row. Each timing is the one <see cref="IncidentTimings"/> reports.
    /// Incidents of drills (<see cref="Incident.DrillRun"/>) are left out: rehearsals have their own record (<c>rewind drill list</c>).
    /// </summary>
    public static IReadOnlyList<IncidentMetrics> PerComponentAndOverall(IEnumerable<IncidentRecord> records)
    {
        var measured = records.Where(r => r.Incident.DrillRun is null).Select(r => (Record: r, Timings: IncidentTimings.Of(r))).ToList();
        var rows = measured
            .GroupBy(m => m.Record.Incident.Component, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Of(g.Key, [.. g]))
            .ToList();
        rows.Add(Of(null, measured));
        return rows;
    }

    private static IncidentMetrics Of(string? component, List<(IncidentRecord Record, IncidentTimings Timings)> measured)
    {
        var rollbacks = measured.SelectMany(m => m.Record.Rollbacks).ToList();
        var succeeded = rollbacks.Count(r => r.Status == RollbackStatus.Succeeded);
        var failed = rollbacks.Count(r => r.Status == RollbackStatus.Failed);
        var resolved = measured.Count(m => m.Record.Incident.Status == IncidentStatus.Resolved);
        var falsePositives = measured.Count(m => m.Record.Incident is { Status: IncidentStatus.Resolved, FalsePositive: true });
        return new IncidentMetrics(
            component,
            measured.Count,
            rollbacks.Count,
            succeeded,
            failed,
            Rate(succeeded, succeeded + failed),
            Mean(measured.Select(m => m.Timings.Detect.Duration)),
            Mean(measured.Select(m => m.Timings.RollBack.Duration)),
            Mean(measured.Select(m => m.Timings.Recover.Duration)),
            resolved,
            falsePositives,
            Rate(falsePositives, resolved));
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;

    private static TimeSpan? Mean(IEnumerable<TimeSpan?> durations)
    {
        var values = durations.OfType<TimeSpan>().ToList();
        return values.Count == 0 ? null : TimeSpan.FromTicks((long)values.Average(v => v.Ticks));
    }
}
