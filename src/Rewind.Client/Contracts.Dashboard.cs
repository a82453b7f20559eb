namespace Rewind.Client;

/// <summary>
/// One event of <c>GET /api/v1/events</c>: something changed, read it again. <see cref="Kind"/> is <c>hello</c> (the
/// stream is up: read everything), <c>component</c>, <c>incident</c>, <c>rollback</c>, <c>signals</c> (new samples of a
/// component) or <c>ping</c> (nothing happened; keeps proxies from closing a quiet stream). <see cref="Id"/> names what
/// changed: a component's name, an incident or rollback ID; null for hello and ping.
/// </summary>
public sealed record ChangeDto(string Kind, string? Id, DateTimeOffset At);

/// <summary>Answer of <c>POST /ui/login</c>: who the token belongs to. The token itself never comes back.</summary>
public sealed record SessionDto(string Name, IReadOnlyList<string> Roles);

/// <summary>Body of <c>POST /ui/login</c>.</summary>
public sealed record LoginRequest(string Token);

/// <summary>
/// Answer of <c>GET /api/v1/components/{name}/samples</c>: each probe's points (oldest first) and the error ratio and
/// request rate of each recent scrape of the component's traffic (oldest first; empty without scrapes). Without a
/// range the points are the newest raw samples; with one (<c>window</c>, or <c>from</c>/<c>to</c>) they are raw samples
/// inside the full-resolution window and per-minute or per-hour rollups beyond it.
/// </summary>
public sealed record SignalHistoryDto(string Component, IReadOnlyList<ProbeSeriesDto> Probes, IReadOnlyList<TrafficPointDto> Traffic)
{
    /// <summary>The range asked for; null for the newest samples.</summary>
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }
}

public sealed record ProbeSeriesDto(string Probe, IReadOnlyList<ProbePointDto> Samples);

/// <summary>
/// One point of a probe's history. A raw sample (<see cref="Resolution"/> <c>raw</c>) is a point of one; a rollup
/// (<c>1m</c>, <c>1h</c>) starts at <see cref="At"/> and sums <see cref="Count"/> samples, <see cref="Failures"/> of
/// them failed (<see cref="Success"/> when none did), <see cref="LatencyMs"/> their mean latency and
/// <see cref="LatencyMaxMs"/> the largest.
/// </summary>
public sealed record ProbePointDto(DateTimeOffset At, bool Success, double LatencyMs, string Resolution = "raw", long Count = 1, long Failures = 0, double? LatencyMaxMs = null);

public sealed record TrafficPointDto(DateTimeOffset At, string Scrape, double RequestRate, double ErrorRatio);

/// <summary>
/// Answer of <c>GET /api/v1/rollbacks/{id}/approvals</c>: every decision made on the rollback (on the request and at
/// its approval steps, kept after it ran) and, while the rollback awaits approval, the rule that covers it, what is still
/// missing, and whether the caller may approve (and if not, why).
/// </summary>
public sealed record ApprovalStatusDto(
    string RollbackId,
    string Status,
    string RequestedBy,
    ApprovalRuleDto? Rule,
    IReadOnlyList<ApprovalDto> Approvals,
    string? Missing,
    bool CallerMayApprove,
    string? CallerRefusal);

/// <summary>Who may approve: at least one of <see cref="AnyOf"/>, a different person for each of <see cref="AllOf"/>.</summary>
public sealed record ApprovalRuleDto(IReadOnlyList<string> AnyOf, IReadOnlyList<string> AllOf, bool TwoPerson, bool SecondFactor, DateTimeOffset DecideBy)
{
    /// <summary>The rule's number in the config's <c>approvals</c> list, from 1 (0 from a server that does not say).</summary>
    public int Number { get; init; }

    /// <summary>What happens when nobody decides by <see cref="DecideBy"/>: <c>proceeds</c> or <c>escalates</c> (and it keeps waiting).</summary>
    public string? OnTimeout { get; init; }
}

/// <summary>One decision: who, with which roles, approved or denied, when, and their note (empty when none).</summary>
public sealed record ApprovalDto(string Approver, IReadOnlyList<string> Roles, bool Approved, DateTimeOffset At, string Note)
{
    /// <summary>The index of the approval step decided at; null for a decision on the request itself (the approval rules).</summary>
    public int? Step { get; init; }
}

/// <summary>
/// Answer of <c>GET /api/v1/components/{name}/backup-sets</c>: the base backups in the component's repository (newest
/// first), the archived WAL, and the recovery point: how far back the newest archived WAL is (<c>null</c> without WAL).
/// </summary>
public sealed record BackupSetsDto(string Component, IReadOnlyList<BackupSetDto> Sets, int WalSegments, DateTimeOffset? NewestWalAt, double? RecoveryPointSeconds, string Coverage);

/// <summary>One base backup set; <see cref="StoredSize"/> is what the set itself holds (an incremental references the rest).</summary>
public sealed record BackupSetDto(string SetId, DateTimeOffset Finished, long TotalSize, long StoredSize, string WalStart, string WalStop, bool Encrypted)
{
    /// <summary><c>full</c> or <c>incremental</c>.</summary>
    public string Type { get; init; } = "full";

    /// <summary>The set an incremental was taken against; <see langword="null"/> for a full set.</summary>
    public string? Parent { get; init; }
}
