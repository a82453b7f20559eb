namespace Rewind.Core.Agents;

/// <summary>How an agent's polls tell that it is there.</summary>
public static class AgentLiveness
{
    /// <summary>The longest an agent's poll is held open when there is no work: it polls again at least this often.</summary>
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(10);

    /// <summary>An agent not heard from for this long is lost: twice its longest poll.</summary>
    public static readonly TimeSpan LostAfter = LongPoll * 2;

    /// <summary>Whether an agent last heard from at <paramref name="seenAt"/> counts as connected at <paramref name="now"/>.</summary>
    public static bool IsConnected(DateTimeOffset? seenAt, DateTimeOffset now) => seenAt is { } seen && now - seen < LostAfter;

    /// <summary>
    /// Since when the agent counts as lost: <see cref="LostAfter"/> after it was last heard from, or
    /// <see cref="DateTimeOffset.MinValue"/> when it never was.
    /// </summary>
    public static DateTimeOffset LostSince(DateTimeOffset? seenAt) => seenAt is { } seen ? seen + LostAfter : DateTimeOffset.MinValue;
}
