using System.Text.Json;

namespace Rewind.Client;

/// <summary>
/// Body of <c>POST /api/v1/agent/poll</c>: who polls (a new <see cref="Instance"/> at each start of the agent), its
/// version, when it started, and how long the controller may hold the poll open when there is no work (at most 10 s).
/// The host is the agent token's.
/// </summary>
public sealed record AgentPollRequest(string Instance, string Version, DateTimeOffset StartedAt, int WaitSeconds = 10);

/// <summary>
/// The work of an agent's host: every step handed to it and not reported yet, oldest first; and <see cref="Stop"/>, the
/// attempts it runs whose rollback ended meanwhile (aborted, or failed): the agent stops them and reports them.
/// </summary>
public sealed record AgentWorkDto(string Host, IReadOnlyList<AgentAttemptDto> Attempts)
{
    public IReadOnlyList<string> Stop { get; init; } = [];
}

/// <summary>
/// One step for the agent to run: <see cref="Step"/> is its number in the rollback, <see cref="Plan"/> the plan step as
/// the controller planned it (JSON with its <c>kind</c>). <see cref="HandedBefore"/> when it was handed out already, to
/// the agent instance <see cref="HandedTo"/>: the agent's journal says whether it ran it; one handed to another instance
/// and not in the journal is reported as unknown, never run.
/// </summary>
public sealed record AgentAttemptDto(string Id, string RollbackId, int Step, JsonElement Plan, string Description, DateTimeOffset CreatedAt, bool HandedBefore, string? HandedTo = null);

/// <summary>Body of <c>POST /api/v1/agent/attempts/{id}</c>: <see cref="Status"/> is <c>succeeded</c>, <c>failed</c> or <c>unknown</c>.</summary>
public sealed record AgentReportRequest(string Status, string Output, DateTimeOffset At);

/// <summary>
/// What the controller made of a report: <see cref="Accepted"/> when it finished the attempt; otherwise the attempt was
/// finished already (a repeat changes nothing; a report after the step was given up as unreachable is kept beside it).
/// </summary>
public sealed record AgentReportDto(string Id, string Status, bool Accepted, string Detail);

/// <summary>An agent as it last polled; <see cref="Connected"/> while it polls (heard from within 20 s).</summary>
public sealed record AgentDto(string Host, string Instance, string Version, string? Address, DateTimeOffset StartedAt, DateTimeOffset FirstSeen, DateTimeOffset SeenAt, bool Connected);

/// <summary>Body of <c>POST /api/v1/agent-tokens</c>: <see cref="ExpiresIn"/> is a duration such as 365d, or "never"; default never.</summary>
public sealed record CreateAgentTokenRequest(string Host, string? Description = null, string? ExpiresIn = null);

/// <summary>A new agent token: <see cref="Token"/> is shown this once and never again.</summary>
public sealed record CreatedAgentTokenDto(string Id, string Host, string Token, DateTimeOffset? ExpiresAt);

/// <summary>An agent token as listed: never its secret.</summary>
public sealed record AgentTokenDto(string Id, string Host, string Description, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>
/// What an agent keeps for a rollback without a controller (<c>GET /api/v1/agent/known-good</c>): for each component on
/// its host, the last known good and the host's steps to reach it (<c>plan</c>: a <c>sequence</c> as JSON).
/// </summary>
public sealed record AgentKnownGoodDto(string Host, DateTimeOffset At, IReadOnlyList<KnownGoodDto> Components);

/// <summary>One component's last known good on the agent's host, and the steps that put the host on it.</summary>
public sealed record KnownGoodDto(string Component, string ToVersion, string? FromVersion, JsonElement Plan, string Description);

/// <summary>
/// Body of <c>POST /api/v1/agent/break-glass</c>: a rollback the host's agent ran with no controller reachable
/// (<c>rewind agent rollback</c>), reported once a controller answers. <see cref="Id"/> makes a repeat change nothing.
/// </summary>
public sealed record BreakGlassReportRequest(string Id, string Component, string? FromVersion, string ToVersion, string RunBy, bool Succeeded, string Output, DateTimeOffset RanAt);

/// <summary>Whether the break-glass report was recorded now (false: it was recorded before).</summary>
public sealed record BreakGlassReportDto(string Id, bool Recorded);

/// <summary>
/// The probes the agent's host runs (<c>GET /api/v1/agent/probes</c>): each with its config as JSON. <see cref="Version"/>
/// changes whenever the list or a probe's config changes, so an agent restarts only what changed.
/// </summary>
public sealed record AgentProbesDto(string Host, string Version, IReadOnlyList<AgentProbeDto> Probes);

/// <summary>One probe for the agent to run every <see cref="IntervalSeconds"/>, each run at most <see cref="TimeoutSeconds"/>.</summary>
public sealed record AgentProbeDto(string Component, string Probe, JsonElement Config, double IntervalSeconds, double TimeoutSeconds);

/// <summary>
/// Body of <c>POST /api/v1/agent/samples</c>: samples taken on the host, oldest first (at most 1,000), and how many the agent
/// dropped since its last accepted batch because it could not send them.
/// </summary>
public sealed record AgentSamplesRequest(IReadOnlyList<AgentSampleDto> Samples, long Dropped = 0);

/// <summary>One run of a host's probe; <see cref="At"/> is when it was taken, on the host's clock.</summary>
public sealed record AgentSampleDto(string Component, string Probe, DateTimeOffset At, bool Success, double LatencyMs, string? Error = null);

/// <summary>How many samples of the batch were stored.</summary>
public sealed record AgentSamplesDto(int Stored);

/// <summary>
/// Body of <c>POST /api/v1/agent/backups</c>: what the agent measured of the backup repository of each cluster on its
/// host (the controller cannot read it there), every 10 s: when the newest WAL file was archived and the newest base
/// backup finished, or why the repository could not be read (<see cref="AgentBackupStateDto.Error"/>).
/// </summary>
public sealed record AgentBackupsRequest(IReadOnlyList<AgentBackupStateDto> Components);

/// <summary>One cluster's repository as its host's agent measured it.</summary>
public sealed record AgentBackupStateDto(string Component, DateTimeOffset? NewestWal, DateTimeOffset? NewestSet, string? Error = null);

/// <summary>How many of the measurements were kept (those of this host's clusters with backups).</summary>
public sealed record AgentBackupsAcceptedDto(int Kept);
