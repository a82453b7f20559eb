namespace Rewind.Core.Runbooks;

/// <summary>Where one member of a batch step stands. <c>Running</c> means a call was started and not recorded as finished.</summary>
public enum MemberStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
}

/// <summary>One member of a batch step with its result: attempts made, when, and the last call's output.</summary>
public sealed record MemberResult(string Member, MemberStatus Status, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Output);
