using Rewind.Core.Agents;

namespace Rewind.Core.Storage;

/// <summary>
/// Agents, their tokens and the steps they run. Attempts are made by the leader (fenced like its other writes); polls and
/// reports arrive at any replica and are not fenced: each is keyed, and repeating one changes nothing.
/// </summary>
public interface IAgentStore
{
    Task CreateAgentTokenAsync(AgentToken token, string hash, CancellationToken cancellationToken = default);

    /// <summary>The agent token with this hash, revoked or expired ones included (the caller says why they do not count).</summary>
    Task<AgentToken?> FindAgentTokenAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Every agent token, newest first.</summary>
    Task<IReadOnlyList<AgentToken>> GetAgentTokensAsync(CancellationToken cancellationToken = default);

    /// <summary>Revokes a token from <paramref name="at"/>; false when there is no such token or it was revoked already.</summary>
    Task<bool> RevokeAgentTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records a poll of <paramref name="agent"/>'s host: its instance, version, address and when it was seen (the first sighting kept).</summary>
    Task SaveAgentAsync(AgentRecord agent, CancellationToken cancellationToken = default);

    /// <summary>Every agent that has polled, by host.</summary>
    Task<IReadOnlyList<AgentRecord>> GetAgentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Keeps what a host's agent measured of a cluster's repository there, replacing the component's earlier measurement.</summary>
    Task SaveHostBackupStateAsync(HostBackupState state, CancellationToken cancellationToken = default);

    /// <summary>The newest measurement of <paramref name="component"/>'s repository by its host's agent, or null before the first.</summary>
    Task<HostBackupState?> GetHostBackupStateAsync(string component, CancellationToken cancellationToken = default);

    /// <summary>
    /// The attempt with <paramref name="attempt"/>'s id: the one already made for that step and host if there is one
    /// (whatever its state), else <paramref name="attempt"/>, stored now.
    /// </summary>
    Task<HostAttempt> EnsureHostAttemptAsync(HostAttempt attempt, CancellationToken cancellationToken = default);

    Task<HostAttempt?> GetHostAttemptAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The attempts of a rollback, by step and host.</summary>
    Task<IReadOnlyList<HostAttempt>> GetHostAttemptsAsync(string rollbackId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The work of <paramref name="host"/>'s agent: every attempt of the host not finished, whose rollback is still
    /// running, oldest first. Pending ones become running, claimed by <paramref name="instance"/> at <paramref name="at"/>;
    /// running ones are handed out again as they are, saying when and by which instance they were first claimed (the
    /// agent's journal says whether it ran them; one claimed by another instance it reports as unknown).
    /// </summary>
    Task<IReadOnlyList<HostAttempt>> ClaimHostAttemptsAsync(string host, string instance, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// The attempts of <paramref name="host"/> its agent runs (running, not reported) whose rollback is no longer running:
    /// aborted, failed (its plan timed out) or otherwise ended meanwhile. The agent stops them.
    /// </summary>
    Task<IReadOnlyList<string>> GetOrphanedHostAttemptsAsync(string host, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records how an attempt ended, once: true when this report finished it; false when it was finished already (the
    /// report is then kept as <see cref="HostAttempt.LateReport"/> if it says something else, and the stored outcome stands).
    /// A report tells an end (succeeded, failed, unknown); any other status is a bug, an <see cref="ArgumentException"/>.
    /// </summary>
    Task<bool> ReportHostAttemptAsync(HostAttemptReport report, CancellationToken cancellationToken = default);

    /// <summary>Gives up on an attempt not finished: <see cref="HostAttemptStatus.Unreachable"/> with why; false when it finished meanwhile.</summary>
    Task<bool> GiveUpHostAttemptAsync(string id, DateTimeOffset at, string output, CancellationToken cancellationToken = default);
}
