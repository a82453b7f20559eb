using System.Globalization;
using System.Text;
using Rewind.Client;
using Rewind.Core.Incidents;

namespace Rewind.Cli.Output;

/// <summary>Drill runs and reports as plain Markdown: read in a terminal as it is, pasted into a review or docs unchanged.</summary>
internal static class DrillText
{
    public static string Report(DrillRunDto run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Drill {run.Drill}: {run.Status.ToUpperInvariant()} ({run.Id})");
        text.AppendLine();
        if (run.Report is not { } report)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{run.Summary ?? "no report yet"}");
            return text.ToString();
        }

        if (report.Description is { } description)
        {
            text.AppendLine(description).AppendLine();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"- target: {report.Target} ({string.Join(", ", run.Components)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"- fault: {report.Fault}, made {Render.Time(report.FaultAt)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- requested by {run.RequestedBy}{(run.Scheduled ? " (schedule)" : "")}; ran {Render.Time(report.StartedAt)} to {Render.Time(report.FinishedAt)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- incidents: {List(report.Incidents)}; rollbacks: {List(report.Rollbacks)}");
        text.AppendLine();
        Measures(text, report.Measures);
        if (report.Data is { } data)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Data: {data.Written} marks written, {data.Acknowledged} acknowledged, {data.Lost} lost{(data.Error is null ? "" : $" ({data.Error})")}.").AppendLine();
        }

        foreach (var note in report.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"> {note}");
        }

        if (report.Notes.Count > 0)
        {
            text.AppendLine();
        }

        Events(text, report.Events);
        return text.ToString();
    }

    /// <summary>One row per drill: its targets, its last judged run's figures, the verdict; for docs and reviews.</summary>
    public static string Table(IEnumerable<DrillDto> drills)
    {
        ArgumentNullException.ThrowIfNull(drills);
        var text = new StringBuilder();
        text.AppendLine("| drill | targets | detect | decide | rollback | recover | data lost | run | result |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var drill in drills)
        {
            var targets = drill.Targets.Count == 0 ? "-" : string.Join(", ", drill.Targets.Select(t => $"{t.Key} ≤ {t.Value}"));
            var run = drill.LastRun;
            var measures = run?.Report?.Measures ?? [];
            string Figure(string name) => measures.FirstOrDefault(m => m.Name == name) is { } m ? Seconds(m.Seconds) + (m.Verdict == "fail" ? " ✗" : "") : "-";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {drill.Name} | {targets} | {Figure("detect")} | {Figure("decide")} | {Figure("rollback")} | {Figure("recover")} | {Figure("rpo")} | {run?.Id ?? "never run"} | {(run is null ? "-" : run.Status == "passed" ? "**pass**" : $"**{run.Status}**")} |");
        }

        return text.ToString();
    }

    private static void Measures(StringBuilder text, IReadOnlyList<DrillMeasureDto> measures)
    {
        text.AppendLine("| measure | measured | target | verdict | what it spans |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var m in measures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {m.Name} | {Seconds(m.Seconds)} | {(m.TargetSeconds is { } target ? Seconds(target) : "-")} | {m.Verdict} | {m.Span.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }

        text.AppendLine();
    }

    private static void Events(StringBuilder text, IReadOnlyList<DrillEventDto> events)
    {
        text.AppendLine("| at | what | outcome | took |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var e in events)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Render.Time(e.At)} | {e.What.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ")} | {e.Outcome} | {(e.TookSeconds is { } took ? Seconds(took) : "")} |");
        }
    }

    private static string List(IReadOnlyList<string> ids) => ids.Count == 0 ? "none" : string.Join(", ", ids);

    private static string Seconds(double? seconds) => seconds is { } value ? IncidentTimings.Format(TimeSpan.FromSeconds(value)) : "-";
}
