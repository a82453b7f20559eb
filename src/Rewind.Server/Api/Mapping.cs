using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;
using Rewind.Engine.Approvals;

namespace Rewind.Server.Api;

/// <summary>Domain records to the API's contracts. States are written the way the CLI and docs write them.</summary>
internal static class Mapping
{
    public static ReleaseDto ToDto(this Release release, string? lastKnownGood) => new(
        release.Component,
        release.Version,
        ReleaseStateMachine.Describe(release.State),
        release.RecordedAt,
        release.Commit,
        release.Artifact,
        release.RecordedBy,
        release.StableAt,
        release.Incident,
        string.Equals(release.Version, lastKnownGood, StringComparison.Ordinal))
    {
        Schema = release.Schema,
    };

    public static IncidentDto ToDto(this Incident incident, IEnumerable<TimelineEvent> timeline, IEnumerable<string> rollbacks, IReadOnlyList<EscalationPolicyConfig> escalation) => new(
        incident.Id,
        incident.Component,
        incident.Severity.ToString(),
        incident.Status.ToString().ToLowerInvariant(),
        incident.Title,
        incident.Policy,
        incident.Release,
        incident.OpenedAt,
        incident.ResolvedAt,
        incident.AcknowledgedAt,
        incident.AcknowledgedBy,
        incident.FalsePositive,
        [.. timeline.Select(e => new TimelineEventDto(e.At, e.Kind, e.Message, e.Actor))],
        [.. rollbacks],
        incident.EscalationOf(escalation),
        incident.DrillRun);

    /// <summary>The incident's place in its escalation policy, or null when no policy covers it.</summary>
    private static EscalationDto? EscalationOf(this Incident incident, IReadOnlyList<EscalationPolicyConfig> policies)
    {
        if (EscalationSchedule.PolicyFor(policies, incident) is not var (policy, name))
        {
            return null;
        }

        var current = incident.EscalationLevel is > 0 and var level && level <= policy.Levels.Count ? policy.Levels[level - 1].Contacts : [];
        var next = EscalationSchedule.Next(policies, incident) is var (step, at)
            ? new EscalationNextDto(step.Level, at, EscalationSchedule.Describe(step.Config.If), step.Config.Contacts)
            : null;
        return new EscalationDto(name, incident.EscalationLevel, policy.Levels.Count, current, next);
    }

    public static RollbackDto ToDto(this Rollback rollback, IReadOnlyDictionary<int, MemberCounts>? members = null) => new(
        rollback.Id,
        rollback.Component,
        rollback.IncidentId,
        rollback.FromVersion,
        rollback.ToVersion,
        rollback.Status.ToString().ToLowerInvariant(),
        rollback.Reason,
        rollback.RequestedBy,
        rollback.RequestedAt,
        rollback.StartedAt,
        rollback.FinishedAt,
        rollback.Error,
        [.. rollback.Steps.OrderBy(s => s.Index).Select(s => new RollbackStepDto(s.Index, s.Plan.Kind, s.Plan.Describe(), s.Status.ToString().ToLowerInvariant(), s.Attempts, s.StartedAt, s.FinishedAt, s.Output, members?.GetValueOrDefault(s.Index) is { } m ? new MemberCountsDto(m.Total, m.Pending, m.Running, m.Succeeded, m.Failed, m.Unreachable) : null, GateDecisions.WaitingGate(rollback)?.Index == s.Index))])
    {
        PlanTimeout = rollback.PlanTimeout,
        PlanPolicy = rollback.PlanPolicy,
    };

    public static RollbackPlanDto ToDto(this PlanResult plan, string component, string? fromVersion) => new(
        component,
        fromVersion,
        plan.Target!.Version,
        [.. plan.Steps.Select((s, i) => new PlanStepDto(i, s.Kind, s.Describe()))])
    {
        PlanTimeout = plan.Timeout,
        PlanPolicy = plan.Policy,
        SchemaChange = plan.SchemaChange,
    };
}
