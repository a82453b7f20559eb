namespace Rewind.Core.Configuration;

/// <summary>
/// A provider that rolls a component back by running a command (a cloud CLI such as wrangler, firebase, kubectl):
/// <c>switch</c> is an argv template with <c>{{target.version}}</c>, run without a shell.
/// </summary>
public sealed class CommandProviderConfig
{
    public List<string> Switch { get; set; } = [];

    /// <summary>Variables added to the command's environment; values may hold <c>{{secret.NAME}}</c>.</summary>
    public Dictionary<string, string> Env { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The working directory. Default: the config file's directory.</summary>
    public string? Dir { get; set; }

    /// <summary>Default 5m.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Exit codes that count as success. Default [0].</summary>
    public List<int> AcceptExit { get; set; } = [0];
}

/// <summary>
/// One step of a declared rollback plan: exactly one of <c>switch</c>, <c>command</c>, <c>http</c>,
/// <c>wait-healthy</c>, <c>batch</c>, <c>cache-flush</c>, <c>notify</c>, <c>parallel</c>, <c>approval</c>, <c>traffic</c> or
/// <c>maintenance</c>. Templates (<c>{{component}}</c>, <c>{{target.version}}</c>,
/// <c>{{from.version}}</c>, <c>{{member}}</c> in a batch, <c>{{secret.NAME}}</c>) are checked when the config is read.
/// </summary>
public sealed class PlanStepConfig
{
    /// <summary>A label for records and dry runs. Default: the kind.</summary>
    public string? Name { get; set; }

    /// <summary>The provider's own switch to the target release (<c>switch: {}</c>).</summary>
    public SwitchStepConfig? Switch { get; set; }

    public CommandStepConfig? Command { get; set; }

    public HttpStepConfig? Http { get; set; }

    public WaitHealthyStepConfig? WaitHealthy { get; set; }

    public BatchStepConfig? Batch { get; set; }

    /// <summary>Purges a cache (CDN, application cache): a <c>command</c> or an <c>http</c> call, recorded as a cache flush.</summary>
    public CacheFlushStepConfig? CacheFlush { get; set; }

    /// <summary>Tells people, through the notification channels, what the plan is doing.</summary>
    public NotifyStepConfig? Notify { get; set; }

    /// <summary>Steps run at the same time; the group succeeds when every one of them did.</summary>
    public List<PlanStepConfig>? Parallel { get; set; }

    public ApprovalStepConfig? Approval { get; set; }

    public TrafficStepConfig? Traffic { get; set; }

    public MaintenanceStepConfig? Maintenance { get; set; }

    /// <summary>
    /// Migrates the database schema down to the target release's (a command, with <c>{{target.schema}}</c> and
    /// <c>{{from.schema}}</c>): the step that lets a plan roll an application back past a schema change.
    /// </summary>
    public CommandStepConfig? MigrateDown { get; set; }

    /// <summary>A snapshot of a backed-up <c>postgres</c> component before a destructive step: a restore point, or a base backup.</summary>
    public SnapshotStepConfig? Snapshot { get; set; }

    /// <summary>A point-in-time restore of a backed-up <c>postgres</c> component, after a snapshot of it and behind its own approval.</summary>
    public RestoreStepConfig? Restore { get; set; }

    public string Kind =>
        Switch is not null ? "switch" : Command is not null ? "command" : Http is not null ? "http"
        : WaitHealthy is not null ? "wait-healthy" : Batch is not null ? "batch" : CacheFlush is not null ? "cache-flush"
        : Notify is not null ? "notify" : Parallel is not null ? "parallel" : Approval is not null ? "approval"
        : Traffic is not null ? "traffic" : Maintenance is not null ? "maintenance" : MigrateDown is not null ? "migrate-down" : Snapshot is not null ? "snapshot" : Restore is not null ? "restore" : "none";

    public int KindCount =>
        (Switch is null ? 0 : 1) + (Command is null ? 0 : 1) + (Http is null ? 0 : 1) + (WaitHealthy is null ? 0 : 1) + (Batch is null ? 0 : 1)
        + (CacheFlush is null ? 0 : 1) + (Notify is null ? 0 : 1) + (Parallel is null ? 0 : 1) + (Approval is null ? 0 : 1)
        + (Traffic is null ? 0 : 1) + (Maintenance is null ? 0 : 1) + (MigrateDown is null ? 0 : 1) + (Snapshot is null ? 0 : 1) + (Restore is null ? 0 : 1);
}

/// <summary>
/// Post-rollback validation, appended to every plan of the component: smoke checks (commands and requests), then the
/// component's policies must be clean and stay clean for <c>hold-for</c>. Until they pass the rollback has not succeeded
/// and its incident is not resolved.
/// </summary>
public sealed class VerifyConfig
{
    /// <summary><c>command</c> and <c>http</c> steps, run in order after the plan.</summary>
    public List<PlanStepConfig> Smoke { get; set; } = [];

    /// <summary>How long every (non-shadow) policy of the component must stay clean. Default 0s: not checked.</summary>
    public TimeSpan HoldFor { get; set; }

    /// <summary>How long the policies have to recover before the hold starts. Default 5m.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Exactly one of <c>command</c> or <c>http</c>.</summary>
public sealed class CacheFlushStepConfig
{
    public CommandStepConfig? Command { get; set; }

    public HttpStepConfig? Http { get; set; }
}

public sealed class NotifyStepConfig
{
    /// <summary>The text, a plan template (no secrets); sent as the <c>notice</c> event.</summary>
    public string Message { get; set; } = "";
}

/// <summary>No settings: the provider knows how to switch.</summary>
public sealed class SwitchStepConfig
{
}

public sealed class CommandStepConfig
{
    public List<string> Argv { get; set; } = [];

    /// <summary>The host whose agent runs the command (its environment and paths are that host's). Default: the controller.</summary>
    public string? Host { get; set; }

    /// <summary>Variables added to the command's environment; values may hold <c>{{secret.NAME}}</c>.</summary>
    public Dictionary<string, string> Env { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The working directory. Default: the config file's directory.</summary>
    public string? Dir { get; set; }

    /// <summary>Default 60s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Exit codes that count as success. Default [0].</summary>
    public List<int> AcceptExit { get; set; } = [0];

    /// <summary>Tries after a failed one, 0–10. Default 0.</summary>
    public int Retries { get; set; }

    /// <summary>The first retry's delay, doubling, with jitter. Default 1s.</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class HttpStepConfig
{
    /// <summary>Default POST.</summary>
    public string Method { get; set; } = "POST";

    public string Url { get; set; } = "";

    /// <summary>Request headers; values may hold <c>{{secret.NAME}}</c> (an API token).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Body { get; set; }

    /// <summary>Statuses that count as success. Default: any 2xx.</summary>
    public List<int> ExpectStatus { get; set; } = [];

    /// <summary>Default 30s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Tries after a failed one, 0–10. Default 0.</summary>
    public int Retries { get; set; }

    /// <summary>The first retry's delay, doubling, with jitter. Default 1s.</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>The component's probes pass <c>healthy-successes</c> times in a row within <c>timeout</c>.</summary>
public sealed class WaitHealthyStepConfig
{
    /// <summary>Default: the component's <c>healthy-timeout</c>.</summary>
    public TimeSpan? Timeout { get; set; }
}

/// <summary>
/// Rolls back the members of a group (functions, workers, sites) with one call each: in batches, with a bounded
/// concurrency and call rate, retrying transient failures with exponential backoff and jitter, backing off on quota
/// errors rather than failing, and failing the step only beyond its failure budget. Each member's result is stored.
/// </summary>
public sealed class BatchStepConfig
{
    /// <summary>Where the members come from: exactly one of <c>list</c>, <c>file</c> or <c>command</c>.</summary>
    public MemberSourceConfig Members { get; set; } = new();

    /// <summary>The call for one member, an argv template with <c>{{member}}</c>.</summary>
    public List<string> Argv { get; set; } = [];

    public Dictionary<string, string> Env { get; set; } = new(StringComparer.Ordinal);

    public string? Dir { get; set; }

    /// <summary>Members started per batch. Default 50.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Calls in flight at once. Default 10.</summary>
    public int Concurrency { get; set; } = 10;

    /// <summary>Pause between batches. Default 0s.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>At most this many calls started per minute. Default: unlimited.</summary>
    public int? CallsPerMinute { get; set; }

    /// <summary>Retries of a failed call (not counting quota back-offs). Default 3.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>First retry delay; doubles each time, with jitter. Default 500ms.</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Text in a failed call's output that means "quota": the call is retried after a back-off, without using a retry. Default RESOURCE_EXHAUSTED, 429, rate limit, quota.</summary>
    public List<string> QuotaErrors { get; set; } = ["RESOURCE_EXHAUSTED", "429", "rate limit", "quota"];

    /// <summary>The step fails when more than this fraction of members failed after their retries. Default 0: any failure fails it.</summary>
    public double MaxFailed { get; set; }

    /// <summary>How long one call may take. Default 60s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the whole step may take. Default 30m.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Exit codes that count as success. Default [0].</summary>
    public List<int> AcceptExit { get; set; } = [0];
}

public sealed class MemberSourceConfig
{
    public List<string>? List { get; set; }

    /// <summary>A file with one member per line (blank lines and <c>#</c> comments ignored).</summary>
    public string? File { get; set; }

    /// <summary>An argv whose output is one member per line (run when the step starts; the list is then stored).</summary>
    public List<string>? Command { get; set; }
}

/// <summary>
/// A component made of configuration files. Each recorded release keeps a copy of <c>paths</c> (files, and directories
/// with everything under them) in <c>store</c>; a rollback restores the target release's copy file by file, each with one
/// atomic rename, after keeping the current files in <c>store/undo/&lt;rollback&gt;</c>.
/// </summary>
public sealed class FilesProviderConfig
{
    /// <summary>The files and directories that make up the component's configuration, relative to the config file's directory or absolute.</summary>
    public List<string> Paths { get; set; } = [];

    /// <summary>Where the copies are kept: <c>releases/&lt;version&gt;/</c> and <c>undo/&lt;rollback&gt;/</c>. Required.</summary>
    public string Store { get; set; } = "";

    /// <summary>The argument vector run after a restore (reload the service that reads the files). Optional; never run through a shell.</summary>
    public List<string> Reload { get; set; } = [];

    /// <summary>How long the reload may take. Default 60s.</summary>
    public TimeSpan ReloadTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>What a <c>snapshot</c> step takes: of which component (a <c>postgres</c> one with backups), and how.</summary>
public sealed class SnapshotStepConfig
{
    public string Component { get; set; } = "";

    /// <summary><c>restore-point</c> (a named point in the archived WAL: instant) or <c>base-backup</c> (a full copy). Default restore-point.</summary>
    public string Kind { get; set; } = "restore-point";

    /// <summary>Not a key: the host of <see cref="Component"/> (its <c>host:</c>), whose agent takes the snapshot; null for the controller's own host.</summary>
    public string? Host { get; internal set; }

    /// <summary>Not a key: how long the host's agent may be unreachable (its component's <c>unreachable.wait</c>).</summary>
    public TimeSpan UnreachableWait { get; internal set; }
}

/// <summary>What a <c>restore</c> step restores: which component, to which restore point, and whether it asks first.</summary>
public sealed class RestoreStepConfig
{
    public string Component { get; set; } = "";

    /// <summary>
    /// The restore point, a plan template. Default <c>rewind-release-{{component}}-{{from.version}}</c>: the one made when
    /// the release being left was first recorded, i.e. the database as it was just before that release.
    /// </summary>
    public string RestorePoint { get; set; } = "rewind-release-{{component}}-{{from.version}}";

    /// <summary>
    /// The restore waits for its own approval (two-person, role approver, 15 minutes, held even in an emergency). Default
    /// true; <c>false</c> only in a plan of a policy (<c>policies.X.plan</c>): the policy says otherwise.
    /// </summary>
    public bool Approval { get; set; } = true;

    /// <summary>Not a key: the host of <see cref="Component"/> (its <c>host:</c>), whose agent restores it; null for the controller's own host.</summary>
    public string? Host { get; internal set; }

    /// <summary>Not a key: how long the host's agent may be unreachable (its component's <c>unreachable.wait</c>).</summary>
    public TimeSpan UnreachableWait { get; internal set; }
}
