namespace Rewind.Core.Incidents;

/// <summary>One append-only line of an incident's timeline.</summary>
/// <param name="IncidentId">The incident the line belongs to.</param>
/// <param name="At">When it happened.</param>
/// <param name="Kind">One of <see cref="TimelineKinds"/>.</param>
/// <param name="Message">What happened, in words.</param>
/// <param name="Actor">Who or what acted: a person, <c>policy:NAME</c>, <c>executor</c>.</param>
/// <param name="Milestone">
/// Set on the entries people are told about beyond what the kind says (<see cref="TimelineMilestones"/>), so
/// notifications follow structure rather than the wording of messages; null on the others.
/// </param>
public sealed record TimelineEvent(string IncidentId, DateTimeOffset At, string Kind, string Message, string Actor, string? Milestone = null);

/// <summary>A timeline entry with its place in the store's append order, for readers that tail the timeline.</summary>
public sealed record SequencedTimelineEvent(long Seq, TimelineEvent Entry);

/// <summary>The kinds of timeline events the controller writes.</summary>
public static class TimelineKinds
{
    public const string Opened = "opened";
    public const string Evidence = "evidence";
    public const string Decision = "decision";
    public const string Rollback = "rollback";
    public const string Step = "step";
    public const string Escalation = "escalation";
    public const string Suppressed = "suppressed";
    public const string Resolved = "resolved";
    public const string Note = "note";
    public const string Acknowledged = "acknowledged";

    /// <summary>A person moved the incident forward (investigating → mitigating → monitoring).</summary>
    public const string Status = "status";
}

/// <summary>Milestones of an incident that a kind alone does not tell apart.</summary>
public static class TimelineMilestones
{
    /// <summary>On the <c>rollback</c> entry written when the executor starts a rollback.</summary>
    public const string RollbackStarted = "rollback-started";

    /// <summary>On the <c>rollback</c> entry written when every step of a rollback succeeded.</summary>
    public const string RollbackFinished = "rollback-finished";

    /// <summary>On the <c>escalation</c> entry written when a rollback failed.</summary>
    public const string RollbackFailed = "rollback-failed";

    /// <summary>On the <c>decision</c> entry of an <c>approve</c> policy that asks a person to roll back.</summary>
    public const string ApprovalNeeded = "approval-needed";

    /// <summary>On the <c>note</c> entry a plan's <c>notify</c> step writes: people are told.</summary>
    public const string Notice = "notice";

    private const string LevelPrefix = "level-";

    /// <summary>On the <c>escalation</c> entry written when an incident reaches (or is paged again at) a level of its escalation policy.</summary>
    public static string EscalationLevel(int level) => LevelPrefix + level.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The level an <see cref="EscalationLevel"/> milestone names, or null for any other milestone.</summary>
    public static int? EscalationLevelOf(string? milestone) =>
        milestone is not null && milestone.StartsWith(LevelPrefix, StringComparison.Ordinal)
            && int.TryParse(milestone.AsSpan(LevelPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var level)
            ? level
            : null;
}
