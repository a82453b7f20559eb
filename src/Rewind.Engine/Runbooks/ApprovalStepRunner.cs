using System.Globalization;
using Rewind.Core.Approvals;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Incidents;
using Rewind.Runtime.Runbooks;

namespace Rewind.Engine.Runbooks;

/// <summary>
/// Holds a rollback at an approval step until the decisions stored for that gate satisfy it (judged by
/// <see cref="ApprovalMatrix.Evaluate"/>), someone denies, or its time runs out. Everything it reads is in the store
/// (decisions arrive through the API, perhaps on another controller), so a restarted controller resumes the wait: the
/// time counts from the gate's "approval needed" timeline entry, written once when the gate first opens, so neither a
/// restart nor a second attempt resets the clock or pages the channels again.
/// </summary>
internal sealed class ApprovalStepRunner(IStore store, ConfigHolder config, Escalator escalator, TimeProvider time) : IStepRunner
{
    /// <summary>How often the stored decisions are read.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public string Kind => ApprovalStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        Task.FromResult(StepOutcome.Failure("an approval step waits only within a rollback"));

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        var gate = (ApprovalStep)planStep;
        ArgumentNullException.ThrowIfNull(context);
        if (await store.GetRollbackAsync(context.RollbackId, cancellationToken) is not { } rollback)
        {
            return StepOutcome.Failure($"rollback {context.RollbackId} is not in the store");
        }

        var rule = gate.ToRule();
        var at = $"{rollback.Id} step {context.StepIndex + 1}/{rollback.Steps.Count}";
        var deadline = await OpenAsync(gate, rollback, context.StepIndex, at, cancellationToken) + gate.DecideWithin;
        var waited = Durations.Format(gate.DecideWithin);
        var escalated = false;
        while (true)
        {
            var decisions = await store.GetGateApprovalsAsync(rollback.Id, context.StepIndex, cancellationToken);
            if (decisions.FirstOrDefault(d => !d.Approved) is { } denial)
            {
                return StepOutcome.Failure($"denied by {denial.Approver}{(denial.Note.Length == 0 ? "" : ": " + denial.Note)}");
            }

            var (satisfied, missing) = ApprovalMatrix.Evaluate(rule, rollback.RequestedBy, decisions);
            if (satisfied)
            {
                return StepOutcome.Success($"approved by {string.Join(", ", decisions.Select(d => $"{d.Approver} ({string.Join(", ", d.Roles)})"))}");
            }

            if (time.GetUtcNow() >= deadline)
            {
                switch (gate.OnTimeout)
                {
                    case GateTimeout.Proceed when ApprovalMatrix.ProceedsOnTimeout(rule, rollback.RequestedBy, config.Component(rollback.Component)):
                        return StepOutcome.Success($"no decision within {waited}; proceeding, as policy {ApprovalMatrix.PolicyOf(rollback.RequestedBy)} acts automatically and the step says proceed");
                    case GateTimeout.Proceed:
                        return StepOutcome.Failure($"no decision within {waited}; still waiting for {missing}; on-timeout proceed applies only to rollbacks an auto-mode policy asked for, and {rollback.RequestedBy} asked for this one");
                    case GateTimeout.EscalateAndWait when !escalated:
                        escalated = true;
                        await EscalateOnceAsync(rollback, $"{at}: no decision within {waited}", $"still waiting for {missing}; a human must decide (`rewind approve {rollback.Id}` or `rewind deny {rollback.Id}`)", cancellationToken);
                        break;
                    case GateTimeout.EscalateAndWait:
                        break;
                    default:
                        return StepOutcome.Failure($"no decision within {waited}; still waiting for {missing}");
                }
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>
    /// The time the gate first opened: its timeline entry (milestone approval-needed, so channels say what is asked),
    /// written now if it is not there yet. A rollback without an incident has no timeline; its gate counts from now.
    /// </summary>
    private async Task<DateTimeOffset> OpenAsync(ApprovalStep gate, Rollback rollback, int index, string at, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (rollback.IncidentId is not { } incidentId)
        {
            return now;
        }

        var marker = $"{at} waits for approval";
        var opened = (await store.GetTimelineAsync(incidentId, cancellationToken))
            .FirstOrDefault(e => e.Milestone == TimelineMilestones.ApprovalNeeded && e.Message.StartsWith(marker, StringComparison.Ordinal));
        if (opened is not null)
        {
            return opened.At;
        }

        var deadline = (now + gate.DecideWithin).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var then = gate.OnTimeout switch
        {
            GateTimeout.EscalateAndWait => "the incident escalates and the gate keeps waiting",
            GateTimeout.Proceed when ApprovalMatrix.ProceedsOnTimeout(gate.ToRule(), rollback.RequestedBy, config.Component(rollback.Component)) => "the rollback proceeds",
            _ => "the step fails and so does the rollback",
        };
        var label = gate.Label is null ? "" : $" ({gate.Label})";
        await store.AppendTimelineAsync(
            new TimelineEvent(incidentId, now, TimelineKinds.Decision, $"{marker}{label}: \"{gate.Message}\" It needs {gate.Approvers()}: `rewind approve {rollback.Id}` or `rewind deny {rollback.Id}`; decide by {deadline} (within {Durations.Format(gate.DecideWithin)}), then {then}", "executor", TimelineMilestones.ApprovalNeeded),
            cancellationToken);
        return now;
    }

    /// <summary>Pages the next escalation level once per gate, even across restarts (the marker is on the timeline).</summary>
    private async Task EscalateOnceAsync(Rollback rollback, string marker, string detail, CancellationToken cancellationToken)
    {
        if (rollback.IncidentId is not { } incidentId || await store.GetIncidentAsync(incidentId, cancellationToken) is not { } incident
            || (await store.GetTimelineAsync(incidentId, cancellationToken)).Any(e => e.Kind == TimelineKinds.Escalation && e.Message.Contains(marker, StringComparison.Ordinal)))
        {
            return;
        }

        await escalator.EscalateNowAsync(incident, $"{marker}; {detail}", Escalator.Actor, time.GetUtcNow(), cancellationToken);
    }
}
