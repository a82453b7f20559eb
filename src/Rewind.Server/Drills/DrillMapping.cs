using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Drills;

namespace Rewind.Server.Drills;

/// <summary>Drills and their runs as the API serves them.</summary>
internal static class DrillMapping
{
    public static DrillRunDto ToDto(this DrillRun run) => new(
        run.Id,
        run.Drill,
        run.Components,
        DrillRun.Describe(run.Status),
        run.RequestedBy,
        run.RequestedAt,
        run.Scheduled,
        run.StartedAt,
        run.FaultAt,
        run.FinishedAt,
        run.Summary,
        run.Report?.ToDto());

    public static DrillDto ToDto(this DrillConfig drill, string name, IReadOnlyList<string> components, IReadOnlyList<DrillRun> runs) => new(
        name,
        drill.Description,
        drill.Component ?? $"group {drill.Group}",
        components,
        drill.Fault.Describe(full: true),
        drill.Schedule,
        drill.Approvals,
        Targets(drill.Targets),
        runs.Count > 0 ? runs[0].ToDto() : null,
        Trend(runs));

    private static DrillReportDto ToDto(this DrillReport report) => new(
        DrillRun.Describe(report.Outcome),
        report.Target,
        report.Fault,
        report.Description,
        report.StartedAt,
        report.FaultAt,
        report.FinishedAt,
        [.. report.Measures.Select(m => new DrillMeasureDto(m.Name, m.Measured?.TotalSeconds, m.Target?.TotalSeconds, Verdict(m.Verdict), m.Span))],
        report.Incidents,
        report.Rollbacks,
        [.. report.Events.Select(e => new DrillEventDto(e.At, e.What, e.Outcome, e.Took?.TotalSeconds, e.Detail))],
        report.Data is { } data ? new DrillDataDto(data.Written, data.Acknowledged, data.Lost, data.Span.TotalSeconds, data.FirstLost, data.LastLost, data.Error) : null,
        report.Notes);

    private static DrillTrendDto Trend(IReadOnlyList<DrillRun> runs)
    {
        var judged = runs.Where(r => r.Status is DrillRunStatus.Passed or DrillRunStatus.Failed).OrderBy(r => r.RequestedAt).ToList();
        return new DrillTrendDto(
            runs.Count,
            judged.Count(r => r.Status == DrillRunStatus.Passed),
            judged.Count(r => r.Status == DrillRunStatus.Failed),
            [.. judged.Select(r => new DrillTrendPointDto(r.Id, r.FaultAt ?? r.RequestedAt, r.Status == DrillRunStatus.Passed, Seconds(r, DrillReport.Detect), Seconds(r, DrillReport.Recover)))]);
    }

    private static double? Seconds(DrillRun run, string measure) =>
        run.Report?.Measures.FirstOrDefault(m => m.Name == measure)?.Measured?.TotalSeconds;

    private static Dictionary<string, string> Targets(DrillTargetsConfig targets)
    {
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in new[] { (DrillReport.Detect, targets.Detect), (DrillReport.Decide, targets.Decide), (DrillReport.Rollback, targets.Rollback), (DrillReport.Recover, targets.Recover), (DrillReport.Rpo, targets.Rpo) })
        {
            if (value is { } limit)
            {
                shown[name] = Durations.Format(limit);
            }
        }

        return shown;
    }

    private static string Verdict(DrillVerdict verdict) => verdict switch
    {
        DrillVerdict.Pass => "pass",
        DrillVerdict.Fail => "fail",
        _ => "not-judged",
    };
}
