using System.Globalization;
using System.Text;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Incidents;

/// <summary>
/// The post-incident report, built from the stored record (and, when read, the probe signals around the incident), so
/// two runs on the same record give the same text.
/// Markdown is the source; HTML is rendered from it (<see cref="ToHtml"/>). Root cause and action items are left for people.
/// </summary>
public static partial class IncidentReport
{
    public static string ToMarkdown(IncidentRecord record)
    {
        var incident = record.Incident;
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"# Post-incident report: {incident.Id}").AppendLine();
        output.AppendLine(MarkdownText.Escape(incident.Title)).AppendLine();
        Summary(output, record);
        ImpactWindow(output, incident);
        Timings(output, IncidentTimings.Of(record));
        Evidence(output, record);
        Signals(output, record.Signals);
        Timeline(output, record);
        Rollbacks(output, record);
        output.AppendLine("## Root cause").AppendLine().AppendLine("_To be written._").AppendLine();
        output.AppendLine("## Action items").AppendLine().AppendLine("_To be written._");
        return output.ToString();
    }

    private static void Summary(StringBuilder output, IncidentRecord record)
    {
        var incident = record.Incident;
        var rollback = record.MainRollback;
        var releases = rollback is null
            ? $"{incident.Release ?? "unknown"} (no rollback)"
            : $"{rollback.FromVersion ?? incident.Release ?? "unknown"} → {rollback.ToVersion}";
        var acknowledged = incident.AcknowledgedAt is { } at ? $"{IncidentTimings.Time(at)} by {incident.AcknowledgedBy}" : "no";
        output.AppendLine("## Summary").AppendLine();
        string[][] items =
        [
            ["component", incident.Component],
            ["severity", incident.Severity.ToString()],
            ["releases", releases],
            ["status", IncidentLifecycle.Describe(incident.Status)],
            ["false positive", incident.Status != IncidentStatus.Resolved ? "not known yet (open)" : incident.FalsePositive ? "yes: resolved as not a real problem" : "no"],
            ["policy", incident.Policy ?? "none (opened by a person)"],
            ["acknowledged", acknowledged],
            ["rollbacks", record.Rollbacks.Count == 0 ? "none" : string.Join(", ", record.Rollbacks.OrderBy(r => r.RequestedAt).Select(r => $"{r.Id} ({Describe(r.Status)})"))],
        ];
        foreach (var item in items)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"- **{item[0]}:** {MarkdownText.Escape(item[1])}");
        }

        output.AppendLine();
    }

    private static void ImpactWindow(StringBuilder output, Incident incident)
    {
        output.AppendLine("## Impact window").AppendLine();
        output.AppendLine(incident.ResolvedAt is { } resolved
            ? $"From {IncidentTimings.Time(incident.OpenedAt)} (opened) to {IncidentTimings.Time(resolved)} (resolved): {IncidentTimings.Format(resolved - incident.OpenedAt)}."
            : $"From {IncidentTimings.Time(incident.OpenedAt)} (opened); not resolved yet.");
        output.AppendLine();
    }

    private static void Timings(StringBuilder output, IncidentTimings timings)
    {
        output.AppendLine("## Timings").AppendLine();
        MarkdownText.Table(output, ["timing", "duration", "measured"], timings.All.Select(t => (IReadOnlyList<string>)[t.Name, IncidentTimings.Format(t.Duration), t.Span]));
        output.AppendLine();
    }

    private static void Evidence(StringBuilder output, IncidentRecord record)
    {
        output.AppendLine("## Evidence").AppendLine();
        var evidence = record.TriggerEvidence.ToList();
        if (evidence.Count == 0)
        {
            output.AppendLine("No policy evidence: the incident was opened by a person.").AppendLine();
            return;
        }

        foreach (var e in evidence)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"- {IncidentTimings.Time(e.At)}, {MarkdownText.Escape(e.Actor)}: {MarkdownText.Escape(e.Message)}");
        }

        output.AppendLine();
    }

    private static void Timeline(StringBuilder output, IncidentRecord record)
    {
        output.AppendLine("## Timeline").AppendLine();
        MarkdownText.Table(output, ["time (UTC)", "kind", "actor", "message"], record.Timeline.Select(e => (IReadOnlyList<string>)[IncidentTimings.Time(e.At), e.Kind, e.Actor, e.Message]));
        output.AppendLine();
    }

    private static void Rollbacks(StringBuilder output, IncidentRecord record)
    {
        output.AppendLine("## Rollbacks").AppendLine();
        if (record.Rollbacks.Count == 0)
        {
            output.AppendLine("None.").AppendLine();
            return;
        }

        foreach (var r in record.Rollbacks.OrderBy(r => r.RequestedAt))
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"### {r.Id}: {MarkdownText.Escape(r.FromVersion ?? "unknown")} → {MarkdownText.Escape(r.ToVersion)}, {Describe(r.Status)}").AppendLine();
            output.AppendLine(CultureInfo.InvariantCulture, $"- requested by {MarkdownText.Escape(r.RequestedBy)} at {IncidentTimings.Time(r.RequestedAt)}: {MarkdownText.Escape(r.Reason)}");
            output.AppendLine(CultureInfo.InvariantCulture, $"- started {Time(r.StartedAt)}, finished {Time(r.FinishedAt)}");
            output.AppendLine(CultureInfo.InvariantCulture, $"- error: {MarkdownText.Escape(r.Error ?? "none")}").AppendLine();
            MarkdownText.Table(output, ["#", "kind", "status", "attempts", "start (UTC)", "end (UTC)", "duration", "output"], r.Steps.OrderBy(s => s.Index).Select(s => (IReadOnlyList<string>)
            [
                (s.Index + 1).ToString(CultureInfo.InvariantCulture),
                s.Plan.Kind,
                Describe(s.Status),
                s.Attempts.ToString(CultureInfo.InvariantCulture),
                Time(s.StartedAt),
                Time(s.FinishedAt),
                IncidentTimings.Format(s.FinishedAt - s.StartedAt),
                s.Output ?? "-",
            ]));
            output.AppendLine();
        }
    }

    private static string Time(DateTimeOffset? at) => at is { } value ? IncidentTimings.Time(value) : "-";

    private static string Describe(RollbackStatus status) => status.ToString().ToLowerInvariant();

    private static string Describe(StepStatus status) => status.ToString().ToLowerInvariant();
}
