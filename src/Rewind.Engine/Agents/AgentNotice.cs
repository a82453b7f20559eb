namespace Rewind.Engine.Agents;

/// <summary>What the liveness watch has to tell about a host's agent.</summary>
internal enum AgentNoticeKind
{
    /// <summary>The agent stopped polling: a page.</summary>
    Lost,

    /// <summary>A host the config names has had no agent poll since the watch began: a page.</summary>
    NotPolled,

    /// <summary>An agent paged as lost or not polled polls now: a note, with how long it was gone.</summary>
    Back,
}

/// <summary>
/// One thing to tell about a host's agent, in words an operator acts on. <see cref="Fault"/> names the loss as the
/// controller's pages do (<see cref="AgentLivenessWatch.LostKind"/> or <see cref="AgentLivenessWatch.NotPolledKind"/>, the
/// same for its <see cref="AgentNoticeKind.Back"/> note); <see cref="Since"/> is when the loss began (when the agent
/// counted as lost, or when the watch began for a host never polled); <see cref="Gone"/> how long it lasted, for
/// <see cref="AgentNoticeKind.Back"/> only.
/// </summary>
internal sealed record AgentNotice(AgentNoticeKind Kind, string Fault, string Host, string Title, string Message, DateTimeOffset Since, TimeSpan? Gone = null);
