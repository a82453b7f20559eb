using Rewind.Core.Incidents;

namespace Rewind.Core.Drills;

/// <summary>How a measure compares with its declared target.</summary>
public enum DrillVerdict
{
    /// <summary>No target declared: measured and shown, not judged.</summary>
    NotJudged,

    Pass,

    Fail,
}

/// <summary>One figure of a drill: what was measured (null: could not be), the target, the verdict, and exactly what it spans.</summary>
public sealed record DrillMeasure(string Name, TimeSpan? Measured, TimeSpan? Target, DrillVerdict Verdict, string Span);

/// <summary>One thing that happened during the drill, in time order: the drill's own steps and every rollback step.</summary>
public sealed record DrillEvent(DateTimeOffset At, string What, string Outcome, TimeSpan? Took = null, string? Detail = null);

/// <summary>The data check: marks written, acknowledged, found after the recovery, and the span of the acknowledged ones lost.</summary>
public sealed record DrillDataLoss(int Written, int Acknowledged, int Lost, TimeSpan Span, DateTimeOffset? FirstLost, DateTimeOffset? LastLost, string? Error = null);

/// <summary>
/// What a drill showed, computed when it ends and kept with the run: the figures against the targets, every incident and
/// rollback it caused, its own steps and the rollbacks' steps in order, and anything that needs a person's eye.
/// </summary>
public sealed record DrillReport(
    string RunId,
    string Drill,
    string? Description,
    string Target,
    IReadOnlyList<string> Components,
    string Fault,
    DateTimeOffset StartedAt,
    DateTimeOffset? FaultAt,
    DateTimeOffset FinishedAt,
    DrillRunStatus Outcome,
    IReadOnlyList<DrillMeasure> Measures,
    IReadOnlyList<string> Incidents,
    IReadOnlyList<string> Rollbacks,
    IReadOnlyList<DrillEvent> Events,
    DrillDataLoss? Data,
    IReadOnlyList<string> Notes)
{
    public const string Detect = "detect";
    public const string Decide = "decide";
    public const string Rollback = "rollback";
    public const string Recover = "recover";
    public const string Rpo = "rpo";

    public bool Passed => Outcome == DrillRunStatus.Passed;

    /// <summary>One line: the outcome and each figure against its target.</summary>
    public string OneLine() =>
        $"{DrillRun.Describe(Outcome)}: " + string.Join(", ", Measures.Select(m =>
            $"{m.Name} {IncidentTimings.Format(m.Measured)}{(m.Target is { } target ? $" (target {IncidentTimings.Format(target)}{(m.Verdict == DrillVerdict.Fail ? ", missed" : "")})" : "")}"));
}
