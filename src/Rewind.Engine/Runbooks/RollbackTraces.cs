using System.Collections.Concurrent;
using System.Diagnostics;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Runbooks;
using Rewind.Runtime.Tracing;

namespace Rewind.Engine.Runbooks;

/// <summary>
/// One trace per rollback, on <see cref="RewindTracing.Source"/>: a <c>decision</c> root (the policy or person that asked,
/// the incident), under it the <c>approval</c> wait (each approval an event) and the <c>rollback</c> run, under that one
/// span per step, and under a step its process runs and HTTP calls. The decision's context is kept in memory until the
/// rollback ends, so a run that a restarted controller resumes starts a trace of its own (marked <c>rewind.resumed</c>).
/// Without a listener (traces not exported) every method returns at its first check.
/// </summary>
internal sealed class RollbackTraces
{
    private static ActivitySource Source => RewindTracing.Source;

    private readonly ConcurrentDictionary<string, ActivityContext> _decisions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Activity> _approvals = new(StringComparer.Ordinal);

    /// <summary>
    /// The decision that created <paramref name="rollback"/>: a new trace's root, linked to the operation that asked (an
    /// API request), and the start of its approval wait when it waits for approvers.
    /// </summary>
    public void Decided(Rollback rollback, bool awaitingApproval)
    {
        if (!Source.HasListeners())
        {
            return;
        }

        var caller = Activity.Current;
        caller?.SetTag(TraceAttributes.RollbackId, rollback.Id);
        Activity.Current = null; // a root of its own, not a child of the request that asked
        try
        {
            IEnumerable<ActivityLink>? links = caller is null ? null : [new ActivityLink(caller.Context)];
            using var decision = Source.StartActivity("decision", ActivityKind.Internal, default(ActivityContext), Tags(rollback), links);
            _decisions[rollback.Id] = decision?.Context ?? default; // default: not sampled, so no part of it is traced
            if (decision is not null && awaitingApproval)
            {
                var approval = Source.StartActivity("approval", ActivityKind.Internal, decision.Context, Ids(rollback));
                if (approval is not null)
                {
                    _approvals[rollback.Id] = approval;
                }
            }
        }
        finally
        {
            Activity.Current = caller;
        }
    }

    /// <summary>An approval given to a rollback that waits: an event on its approval span.</summary>
    public void Approved(string rollbackId, string approver)
    {
        if (_approvals.TryGetValue(rollbackId, out var approval))
        {
            approval.AddEvent(new ActivityEvent("approved", tags: new ActivityTagsCollection { [TraceAttributes.Approver] = approver }));
        }
    }

    /// <summary>The wait for approvals ended: <c>released</c>, <c>denied</c>, <c>cancelled</c>.</summary>
    public void ApprovalEnded(string rollbackId, string outcome)
    {
        if (_approvals.TryRemove(rollbackId, out var approval))
        {
            approval.SetTag(TraceAttributes.Outcome, outcome);
            approval.Stop();
        }

        if (outcome != "released")
        {
            _decisions.TryRemove(rollbackId, out _); // it never runs
        }
    }

    /// <summary>The executor's run of <paramref name="rollback"/>, under its decision; null when not traced.</summary>
    public Activity? StartRun(Rollback rollback)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        if (_decisions.TryGetValue(rollback.Id, out var decision))
        {
            return decision == default ? null : Source.StartActivity("rollback", ActivityKind.Internal, decision, Tags(rollback));
        }

        var resumed = Source.StartActivity("rollback", ActivityKind.Internal, default(ActivityContext), Tags(rollback));
        resumed?.SetTag(TraceAttributes.Resumed, true);
        return resumed;
    }

    /// <summary>The run ended (<c>succeeded</c>, <c>failed</c>, <c>aborted</c>, <c>cancelled</c>, <c>timed out</c>): its decision is forgotten.</summary>
    public void Finished(Activity? run, string rollbackId, string outcome)
    {
        _decisions.TryRemove(rollbackId, out _);
        if (run is null)
        {
            return;
        }

        run.SetTag(TraceAttributes.Outcome, outcome);
        if (outcome != "succeeded")
        {
            run.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }

    /// <summary>A step's span under the current run; its process runs and HTTP calls become its children.</summary>
    public static Activity? StartStep(string rollbackId, RollbackStep step)
    {
        if (Activity.Current is null)
        {
            return null;
        }

        return Source.StartActivity("step " + step.Plan.Kind, ActivityKind.Internal, default(ActivityContext), [
            new(TraceAttributes.RollbackId, rollbackId),
            new(TraceAttributes.StepKind, step.Plan.Kind),
            new(TraceAttributes.StepIndex, step.Index + 1),
        ]);
    }

    /// <summary>The step's outcome on its span: an error status when it failed (its output stays out: the record has it).</summary>
    public static void StepEnded(Activity? span, StepOutcome outcome)
    {
        if (span is not null && !outcome.Succeeded)
        {
            span.SetStatus(ActivityStatusCode.Error, "step failed");
        }
    }

    private static List<KeyValuePair<string, object?>> Ids(Rollback rollback) =>
    [
        new(TraceAttributes.RollbackId, rollback.Id),
        new(TraceAttributes.IncidentId, rollback.IncidentId),
        new(TraceAttributes.Component, rollback.Component),
    ];

    private static List<KeyValuePair<string, object?>> Tags(Rollback rollback)
    {
        var tags = Ids(rollback);
        tags.Add(new(TraceAttributes.RequestedBy, rollback.RequestedBy));
        tags.Add(new(TraceAttributes.FromVersion, rollback.FromVersion));
        tags.Add(new(TraceAttributes.ToVersion, rollback.ToVersion));
        if (rollback.RequestedBy.StartsWith("policy:", StringComparison.Ordinal))
        {
            tags.Add(new(TraceAttributes.Policy, rollback.RequestedBy["policy:".Length..]));
        }

        if (rollback.Group is { } group)
        {
            tags.Add(new(TraceAttributes.Group, group));
        }

        return tags;
    }
}
