namespace Rewind.Core.Drills;

/// <summary>Where a drill run stands. Requested and running are open; the other four are final.</summary>
public enum DrillRunStatus
{
    /// <summary>Asked for (by a person or the schedule); the leader starts it.</summary>
    Requested,

    /// <summary>The fault is made or about to be; incidents opened on its components now belong to it.</summary>
    Running,

    /// <summary>Detected and recovered within every declared target.</summary>
    Passed,

    /// <summary>Recovered late, not at all, or with more data lost than the target.</summary>
    Failed,

    /// <summary>Stopped before it could be judged: a person aborted it, the fault could not be made, the controller stopped.</summary>
    Aborted,

    /// <summary>Not started: a real incident or a rollback was open on a component it would hit.</summary>
    Refused,
}

/// <summary>
/// One run of a declared drill (<c>drills.NAME</c>): who asked, what it hits, where it stands, and once finished its
/// <see cref="Report"/>. Incidents opened on <see cref="Components"/> while it runs carry its id and are kept out of
/// the real incidents' figures.
/// </summary>
public sealed record DrillRun(
    string Id,
    string Drill,
    IReadOnlyList<string> Components,
    DrillRunStatus Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    bool Scheduled = false,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FaultAt = null,
    DateTimeOffset? FinishedAt = null,
    string? Summary = null,
    DrillReport? Report = null)
{
    public const string IdPrefix = "DR";

    public bool IsOpen => Status is DrillRunStatus.Requested or DrillRunStatus.Running;

    /// <summary>Lower-case words for records and the API: requested, running, passed, failed, aborted, refused.</summary>
    public static string Describe(DrillRunStatus status) => status.ToString().ToLowerInvariant();

    public static DrillRunStatus Parse(string text) => Enum.Parse<DrillRunStatus>(text, ignoreCase: true);
}
