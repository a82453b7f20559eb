namespace Rewind.Core.Runbooks;

/// <summary>Where one member of a batch step stands. <c>Running</c> means a call was started and not recorded as finished.</summary>
public enum MemberStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,

    /// <summary>A fleet's host whose agent did not take or report its share within the limit: kept apart from failed.</summary>
    Unreachable,
}

/// <summary>The members of one batch step by status.</summary>
public sealed record MemberCounts(int Pending, int Running, int Succeeded, int Failed, int Unreachable = 0)
{
    public int Total => Pending + Running + Succeeded + Failed + Unreachable;

    public int Done => Succeeded + Failed + Unreachable;
}

/// <summary>One member of a batch step with its result: attempts made, when, and the last call's output.</summary>
public sealed record MemberResult(string Member, MemberStatus Status, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Output);
