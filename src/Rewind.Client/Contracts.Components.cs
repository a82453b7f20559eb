namespace Rewind.Client;

/// <summary>A component as the API shows it: what it runs now, what it would roll back to, and whether it is healthy.</summary>
public sealed record ComponentDto(
    string Name,
    string Provider,
    string? CurrentVersion,
    string? CurrentState,
    DateTimeOffset? CurrentSince,
    string? LastKnownGood,
    string Health,
    IReadOnlyList<ProbeHealthDto> Probes,
    string? OpenIncident,
    string? ActiveRollback,
    DateTimeOffset? MaintenanceUntil = null)
{
    /// <summary>
    /// For a release still deploying or baking: how far its traffic is from earning known good, e.g. "130 of about 410
    /// requests: policy errors: …". Null for a stable, bad or rolled-back release.
    /// </summary>
    public string? Evidence { get; init; }

    /// <summary>The newest scheduled run of each kind (base-backup, verify, drill), for a component with backups; null otherwise.</summary>
    public IReadOnlyList<BackupRunDto>? Backups { get; init; }

    /// <summary>
    /// Why a rollback of the component to its last known good would be refused now, in the words of the dry run of
    /// <c>POST /api/v1/rollbacks</c> (the same planner decides both): a PostgreSQL cluster, no known-good release to go
    /// back to, …. Null when one can be asked for.
    /// </summary>
    public string? RollbackRefusal { get; init; }
}

/// <summary>One scheduled base backup, quick verification or restore drill, and how it ended.</summary>
public sealed record BackupRunDto(string Kind, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool Succeeded, string Summary);

/// <summary>
/// The newest sample of one probe. Health is <c>healthy</c>, <c>failing</c>, <c>blip</c> (failed, fewer times in a row
/// than its failure-threshold), <c>unknown</c> (no sample yet) or <c>not measured</c> (a probe a host's agent runs, and
/// no sample came from it for two intervals and a timeout: counted as neither failing nor passing).
/// </summary>
public sealed record ProbeHealthDto(string Name, string Health, DateTimeOffset? At, double? LatencyMs, string? Error);

/// <summary>The controller's own health: is it running, can it reach its store, does it run its probes on time.</summary>
public sealed record ControllerHealthDto(string Status, string Version, string Store, double StoreLatencyMs, DateTimeOffset StartedAt, int Components, MonitorHealthDto Monitor)
{
    /// <summary>Who leads the store's controllers, and which replicas there are; null from a controller that does not say.</summary>
    public LeadershipDto? Leadership { get; init; }

    /// <summary>
    /// The hosts whose agents count (named in the config, or polled at least once), by host; null from a controller
    /// that does not say.
    /// </summary>
    public IReadOnlyList<AgentHealthDto>? Agents { get; init; }

    /// <summary>The config file, the number of the config in force and the last reload; null from a controller that does not say.</summary>
    public ConfigStatusDto? Config { get; init; }
}

/// <summary>
/// A host's agent as the health answer shows it: <see cref="Connected"/> while it polls (heard from within 20 s);
/// <see cref="LastContact"/> and <see cref="Version"/> null for a host named in the config whose agent never polled.
/// </summary>
public sealed record AgentHealthDto(string Host, bool Connected, DateTimeOffset? LastContact, string? Version);

/// <summary>
/// The leadership among the controllers of one store, as the answering replica sees it: its own name and role
/// (<c>leader</c>, <c>follower</c>, or <c>sole</c> for the one controller of a SQLite store), the lease's holder and
/// epoch, how long ago the lease was renewed and how long one renewal holds it (null for <c>sole</c>), and the replicas.
/// </summary>
public sealed record LeadershipDto(string Replica, string Role, string? Leader, long Epoch, double? LeaseAgeMs, double? LeaseMs, IReadOnlyList<ReplicaDto> Replicas);

/// <summary>
/// One controller process of the store, as it last said it was alive; <see cref="Alive"/> when within three heartbeats.
/// <see cref="Watching"/>: how many components it watches (probes) now, its share among the replicas holding a live
/// share lease; null when it holds none (not started yet, stopped, or its share ran out).
/// </summary>
public sealed record ReplicaDto(string Name, string Host, int Pid, string Version, string? Listen, DateTimeOffset StartedAt, DateTimeOffset SeenAt, bool Leader, bool Alive, int? Watching = null);

/// <summary>
/// One fault of the controller itself, listed under <c>faults</c> in the health endpoint's 503 problem details:
/// <c>store-unreachable</c>, <c>store-not-writable</c>, <c>store-disk-nearly-full</c> or <c>executor-crash-loop</c>.
/// </summary>
public sealed record ControllerFaultDto(string Kind, string Severity, string Title, string Message, DateTimeOffset Since);

/// <summary>
/// Whether the monitor can be believed: while <see cref="Overloaded"/> is true, timeouts and other failures the controller
/// can cause itself hold automatic rollbacks (they page instead). <see cref="MaxLagMs"/> is the latest a probe run or timer
/// tick started in the last window; <see cref="MaxStoreWriteMs"/> the slowest slow store write in it (0 when none).
/// </summary>
public sealed record MonitorHealthDto(bool Overloaded, string? Reason, double MaxLagMs, double MaxStoreWriteMs)
{
    /// <summary>Probe runs not measured in the last window (the controller was behind: no sample, no policy moved).</summary>
    public int NotMeasured { get; init; }

    /// <summary>Probe runs not measured since the controller started.</summary>
    public long NotMeasuredTotal { get; init; }
}

/// <summary>Body of <c>POST /api/v1/components/{name}/maintenance</c>: no policy acts on the component for <see cref="Duration"/> (e.g. "30m").</summary>
public sealed record MaintenanceRequest(string Duration, string Reason, string? DeclaredBy = null);

/// <summary>A declared maintenance window.</summary>
public sealed record MaintenanceDto(string Component, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Reason, string DeclaredBy);
