using Rewind.Core.Configuration;
using Rewind.Core.Drills;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;

namespace Rewind.Engine.Drills;

/// <summary>The end of a drill: the figures against the targets, the record of everything that happened, the verdict.</summary>
internal sealed partial class DrillRunner
{
    private async Task<DrillRun> FinishAsync(DrillRun run, DrillConfig drill, DrillEnd end, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var incidents = end.Watch.Incidents;
        if (await MarkDrillReleaseBadAsync(end.Fault, incidents.Count > 0 ? incidents[0].Incident.Id : null, cancellationToken) is { } marked)
        {
            notes.Add(marked);
        }

        if (incidents.FirstOrDefault(r => r.Incident.IsOpen) is { } open)
        {
            notes.Add($"incident {open.Incident.Id} is still open: resolve it once the drill's review is done (`rewind incident resolve {open.Incident.Id} --note TEXT`)");
        }

        if (end.Watch.Why is { } why)
        {
            notes.Insert(0, why);
        }

        if (!incidents.SelectMany(r => r.Rollbacks).Any()
            && incidents.SelectMany(r => r.Timeline).FirstOrDefault(e => e.Kind == TimelineKinds.Escalation) is { } escalation)
        {
            notes.Add($"no rollback was made: {escalation.Message}");
        }

        var measures = end.Fault.Made ? DrillMeasures.Of(end.Fault.At, incidents, end.Data, drill.Targets) : [];
        var outcome = end.Watch.EndedAs switch
        {
            DrillRunStatus.Aborted => DrillRunStatus.Aborted,
            DrillRunStatus.Failed => DrillRunStatus.Failed,
            _ => DrillMeasures.Outcome(measures),
        };
        var now = time.GetUtcNow();
        var report = new DrillReport(
            run.Id,
            run.Drill,
            drill.Description,
            drill.Component ?? $"group {drill.Group}",
            run.Components,
            drill.Fault.Describe(),
            run.StartedAt!.Value,
            end.Fault.Made ? end.Fault.At : null,
            now,
            outcome,
            measures,
            [.. incidents.Select(r => r.Incident.Id)],
            [.. incidents.SelectMany(r => r.Rollbacks).Select(b => b.Id)],
            [.. end.Journal.Events.Concat(incidents.SelectMany(RollbackEvents)).OrderBy(e => e.At)],
            end.Data,
            notes);
        var summary = outcome == DrillRunStatus.Aborted ? $"aborted: {end.Watch.Why ?? notes.FirstOrDefault()}" : report.OneLine();
        var finished = run with { Status = outcome, FinishedAt = now, Summary = summary, Report = report };
        var expected = end.Watch.EndedAs == DrillRunStatus.Aborted && end.Fault.Made ? DrillRunStatus.Aborted : DrillRunStatus.Running;
        if (!await store.UpdateDrillRunAsync(finished, expected, cancellationToken))
        {
            // aborted by a person after the watch ended: keep the abort, with the report
            await store.UpdateDrillRunAsync(finished with { Status = DrillRunStatus.Aborted, Summary = $"aborted: {report.OneLine()}" }, DrillRunStatus.Aborted, cancellationToken);
        }

        return await store.GetDrillRunAsync(run.Id, cancellationToken) ?? finished;
    }

    private static IEnumerable<DrillEvent> RollbackEvents(IncidentRecord record)
    {
        yield return new DrillEvent(record.Incident.OpenedAt, $"incident {record.Incident.Id} opened on {record.Incident.Component}", "opened", null, record.Incident.Title);
        foreach (var entry in record.Timeline.Where(e => e.Kind is TimelineKinds.Escalation or TimelineKinds.Suppressed))
        {
            yield return new DrillEvent(entry.At, $"{entry.Kind} on {record.Incident.Id}: {entry.Message}", entry.Kind, null, null);
        }

        foreach (var rollback in record.Rollbacks)
        {
            yield return new DrillEvent(rollback.RequestedAt, $"rollback {rollback.Id} of {rollback.Component} requested ({rollback.FromVersion ?? "unknown"} -> {rollback.ToVersion}) by {rollback.RequestedBy}", "requested");
            foreach (var step in rollback.Steps.Where(s => s.StartedAt is not null))
            {
                var took = step.FinishedAt is { } finished ? finished - step.StartedAt!.Value : (TimeSpan?)null;
                yield return new DrillEvent(step.StartedAt!.Value, $"{rollback.Id} step {step.Index + 1}/{rollback.Steps.Count} {step.Plan.Kind}: {step.Plan.Describe()}", step.Status.ToString().ToLowerInvariant(), took, Shorten(step.Output));
            }

            if (rollback.FinishedAt is { } done)
            {
                yield return new DrillEvent(done, $"rollback {rollback.Id} {rollback.Status.ToString().ToLowerInvariant()}", rollback.Status.ToString().ToLowerInvariant(), done - rollback.RequestedAt, rollback.Error);
            }
        }

        if (record.Incident.ResolvedAt is { } resolved)
        {
            yield return new DrillEvent(resolved, $"incident {record.Incident.Id} resolved", "resolved");
        }
    }

    private static string? Shorten(string? output) =>
        output is null ? null : output.Length <= 500 ? output : output[..500] + "…";

}
