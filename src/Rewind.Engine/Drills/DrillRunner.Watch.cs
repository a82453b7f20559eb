using Microsoft.Extensions.DependencyInjection;
using Rewind.Core.Approvals;
using Rewind.Core.Configuration;
using Rewind.Core.Drills;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Engine.Approvals;
using Rewind.Engine.Runbooks;

namespace Rewind.Engine.Drills;

/// <summary>Watching the drill: its incidents and their rollbacks until every one recovered, the timeout, or an abort.</summary>
internal sealed partial class DrillRunner
{
    private async Task<DrillWatch> WatchAsync(DrillRun run, DrillConfig drill, DrillJournal journal, CancellationToken cancellationToken)
    {
        var deadline = run.FaultAt!.Value + drill.Timeout;
        var waived = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var incidents = await IncidentsAsync(run, cancellationToken);
            if ((await store.GetDrillRunAsync(run.Id, cancellationToken))?.Status is DrillRunStatus.Aborted)
            {
                return new DrillWatch(incidents, DrillRunStatus.Aborted, "aborted by a person while it ran");
            }

            if (drill.Approvals == DrillApprovals.Drill)
            {
                await WaiveApprovalsAsync(run, incidents, waived, journal, cancellationToken);
            }

            if (incidents.Count > 0 && incidents.All(r => DrillMeasures.RecoveredAt(r) is not null && !r.Rollbacks.Any(b => b.IsActive)))
            {
                return new DrillWatch(incidents, null, null);
            }

            if (time.GetUtcNow() >= deadline)
            {
                var why = incidents.Count == 0
                    ? $"no incident opened within the drill's timeout of {Durations.Format(drill.Timeout)}: the fault was not detected"
                    : $"not recovered within the drill's timeout of {Durations.Format(drill.Timeout)}";
                return new DrillWatch(incidents, DrillRunStatus.Failed, why);
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    /// <summary>The incidents opened on the drill's components while it ran, oldest first.</summary>
    private async Task<IReadOnlyList<IncidentRecord>> IncidentsAsync(DrillRun run, CancellationToken cancellationToken)
    {
        var since = run.StartedAt!.Value;
        var until = time.GetUtcNow() + TimeSpan.FromMinutes(1);
        var records = new List<IncidentRecord>();
        foreach (var component in run.Components)
        {
            records.AddRange((await store.GetIncidentRecordsAsync(since, until, component, cancellationToken)).Where(r => r.Incident.DrillRun == run.Id));
        }

        return [.. records.OrderBy(r => r.Incident.OpenedAt)];
    }

    /// <summary>
    /// <c>approvals: drill</c>: a rollback of the drill waiting for the authorisation matrix is released, and an approval
    /// step it is held at is approved by the drill under as many names as the step's rule needs (one per role), each
    /// recorded on the incident's timeline as the drill's. Never for an incident that is not the drill's.
    /// </summary>
    private async Task WaiveApprovalsAsync(DrillRun run, IReadOnlyList<IncidentRecord> incidents, HashSet<string> waived, DrillJournal journal, CancellationToken cancellationToken)
    {
        foreach (var rollback in incidents.SelectMany(r => r.Rollbacks).Where(b => b.IsActive))
        {
            var current = await store.GetRollbackAsync(rollback.Id, cancellationToken);
            if (current is { Status: RollbackStatus.Awaiting } && waived.Add(current.Id))
            {
                await services.GetRequiredService<RollbackCoordinator>().ReleaseAsync(current, $"{current.Id} released by drill {run.Drill} ({run.Id}): the drill approves its own rollbacks (approvals: drill)", $"drill:{run.Drill}", cancellationToken);
                journal.Add($"approval of {current.Id} given by the drill", "done");
            }
            else if (current is not null && GateDecisions.WaitingGate(current) is { } gate && waived.Add($"{current.Id}#{gate.Index}"))
            {
                await ApproveGateAsync(run, current, gate, cancellationToken);
                journal.Add($"approval step {gate.Index + 1} of {current.Id} passed by the drill", "done");
            }
        }
    }

    private async Task ApproveGateAsync(DrillRun run, Rollback rollback, RollbackStep gate, CancellationToken cancellationToken)
    {
        var rule = ((ApprovalStep)gate.Plan).ToRule();
        var name = $"drill:{run.Drill}";
        var approvers = rule.AllOf.Select(role => ($"{name}:{role}", role)).ToList();
        if (rule.AnyOf is [var any, ..])
        {
            approvers.Add((name, any));
        }
        else if (approvers.Count == 0)
        {
            approvers.Add((name, Core.Access.Roles.Approver));
        }

        foreach (var (approver, role) in approvers)
        {
            var now = time.GetUtcNow();
            var note = $"approved by drill {run.Drill} ({run.Id}): the drill passes its own gates (approvals: drill)";
            var entry = rollback.IncidentId is { } incident
                ? new TimelineEvent(incident, now, TimelineKinds.Decision, $"{rollback.Id} step {gate.Index + 1}/{rollback.Steps.Count} (approval) {note}", approver)
                : null;
            await store.AddGateApprovalAsync(gate.Index, new Approval(rollback.Id, approver, [role], true, now, note), entry, cancellationToken);
        }
    }
}
