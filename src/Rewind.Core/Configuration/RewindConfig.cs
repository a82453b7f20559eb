namespace Rewind.Core.Configuration;

/// <summary>The root of <c>rewind.yaml</c>. Every key is documented in docs/configuration.md.</summary>
public sealed class RewindConfig
{
    /// <summary>Where Rewind keeps its record: <c>sqlite:PATH</c> (default <c>sqlite:rewind.db</c>, relative to the config file) or <c>postgres://user:password@host:port/database</c>.</summary>
    public string Store { get; set; } = "sqlite:rewind.db";

    public ServerConfig Server { get; set; } = new();

    /// <summary>
    /// Deprecated, without effect: samples are kept by time (<see cref="Samples"/>). Still read (at least 100) so that
    /// files written for older versions load. Default 10,000.
    /// </summary>
    public int SampleRetention { get; set; } = 10_000;

    /// <summary>How long probe samples are kept: at full resolution, then as per-minute and per-hour rollups.</summary>
    public SamplesConfig Samples { get; set; } = new();

    public Dictionary<string, ComponentConfig> Components { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Components rolled back together, one after the other in the listed order (<c>rewind rollback-group</c>).</summary>
    public Dictionary<string, GroupConfig> Groups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The authorisation matrix for rollbacks: the first matching rule applies.</summary>
    public List<ApprovalRuleConfig> Approvals { get; set; } = [];

    /// <summary>Who is paged when an incident stays unacknowledged or unresolved: the first matching policy applies.</summary>
    public List<EscalationPolicyConfig> Escalation { get; set; } = [];

    /// <summary>Channels that tell people about incidents (Slack, webhook, email, command), and the message texts.</summary>
    public NotificationsConfig Notifications { get; set; } = new();

    /// <summary>The public status page: its title, the public names of components, customer messages.</summary>
    public StatusPageConfig StatusPage { get; set; } = new();

    /// <summary>Game days: declared faults Rewind must detect and recover from within their targets (<c>rewind drill</c>).</summary>
    public Dictionary<string, DrillConfig> Drills { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The directory of the config file; relative paths are resolved against it.</summary>
    internal string BaseDirectory { get; set; } = Environment.CurrentDirectory;

    /// <summary>The file the config was read from, as it was named.</summary>
    internal string SourceFile { get; set; } = "rewind.yaml";

    /// <summary>Where some keys were written (those a reload or a secret read must point at), by dotted key.</summary>
    internal Dictionary<string, ConfigPosition> Positions { get; } = new(StringComparer.Ordinal);

    /// <summary>Where the file writes <paramref name="key"/> (a dotted key such as <c>server.listen</c>), else its first line.</summary>
    public ConfigPosition PositionOf(string key) => Positions.GetValueOrDefault(key) ?? new ConfigPosition(SourceFile, 1, 1);
}

/// <summary>
/// Components that roll back together, in dependency order: the list is the order (database before app, app before
/// frontend; or the reverse, if that is how they depend). A member that does not succeed stops the group.
/// </summary>
public sealed class GroupConfig
{
    public List<string> Components { get; set; } = [];
}

public sealed class ServerConfig
{
    /// <summary>The URL the API listens on. Default <c>http://127.0.0.1:7878</c>.</summary>
    public string Listen { get; set; } = "http://127.0.0.1:7878";

    /// <summary>Tokens allowed to push events, by name, each stored as <c>sha256:HEX</c> of the token (<c>rewind token push</c> makes one).</summary>
    public Dictionary<string, string> PushTokens { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Require an API token (any role) on <c>GET /metrics</c>. Default false: the metrics carry names and counts, no
    /// secrets, and are anonymous like any exporter.
    /// </summary>
    public bool MetricsRequireToken { get; set; }

    /// <summary>The certificate and key of an <c>https://</c> listener; required with one, refused without. Default none.</summary>
    public TlsConfig? Tls { get; set; }

    /// <summary>Rate limits, event-stream limits and how refused requests are counted in the audit log.</summary>
    public LimitsConfig Limits { get; set; } = new();

    /// <summary>How probes are scheduled: how many run at once, how late a run may start before it is not measured.</summary>
    public ProbeScheduleConfig Probes { get; set; } = new();

    /// <summary>
    /// How long one taking or renewal of the leader lease holds it, on the database's clock (replicas on PostgreSQL).
    /// A leader renews every quarter of it and stops acting when it has not renewed for three quarters. Default 6s.
    /// </summary>
    public TimeSpan LeaderLease { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Traces of rollbacks and API requests over OTLP. Default: none unless the <c>OTEL_EXPORTER_OTLP_*</c> variables say where.</summary>
    public TelemetryConfig Telemetry { get; set; } = new();
}

public sealed class ComponentConfig
{
    public ProviderConfig Provider { get; set; } = new();

    /// <summary>
    /// The host the component lives on: its switch and restart (a <c>release-dir</c>) or its switch command (a
    /// <c>command</c> provider) are run there by the host's agent (<c>rewind agent</c>), not by the controller. Paths are
    /// that host's. Default: none, the controller's own host.
    /// </summary>
    public string? Host { get; set; }

    /// <summary>
    /// A fleet: the same component on each of these hosts (each with its agent), rolled back host by host or in batches
    /// (<see cref="Fleet"/>). Exclusive with <see cref="Host"/>. Default: none.
    /// </summary>
    public List<string>? Hosts { get; set; }

    /// <summary>How a fleet (<see cref="Hosts"/>) is rolled back: how many hosts at once, how many may fail.</summary>
    public FleetConfig Fleet { get; set; } = new();

    /// <summary>What a rollback does when a host's agent does not take a step or report it.</summary>
    public UnreachableConfig Unreachable { get; set; } = new();

    public Dictionary<string, ProbeConfig> Probes { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, PolicyConfig> Policies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Prometheus text endpoints of the component (its <c>/metrics</c>), scraped for request and error counts.</summary>
    public Dictionary<string, ScrapeConfig> Scrapes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>PromQL instant queries against a Prometheus server, each a numeric signal of the component.</summary>
    public Dictionary<string, QueryConfig> Queries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Kinds of event the application may push (<c>POST /api/v1/signals</c>) for this component.</summary>
    public Dictionary<string, EventConfig> Events { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Requests a release must have served (in its scrapes) before it can become stable: no data is not health. Default 0.</summary>
    public int BakeMinRequests { get; set; }

    /// <summary>At most this many automatic rollbacks of the component per window; then a human decides. Default 3 per 1h.</summary>
    public AutoRollbackLimitConfig AutoRollbackLimit { get; set; } = new();

    /// <summary>Where the serving version is read (a release-dir link, a probe's JSON, a metric label, a command). Default: none, the recorded release is taken as serving.</summary>
    public VersionSourceConfig? VersionSource { get; set; }

    /// <summary>
    /// The longest a deploy in progress (a release recorded with <c>--deploying</c>) shields the component: until the
    /// new release serves healthy or this much time has passed, restart gaps open no incident, page nobody and roll
    /// nothing back, and no rollback starts. Default 1m.
    /// </summary>
    public TimeSpan DeployGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after its first counted request a new release's traffic, while its probes have not passed yet, is taken
    /// as its warm-up (a health check answering 503 "starting", requests it cannot serve yet) and judged by no regression
    /// test. Past it, a release that still fails is judged on what it serves. Default 10s.
    /// </summary>
    public TimeSpan WarmUp { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a new release must run healthy before it becomes stable (last known good). Default 5m.</summary>
    public TimeSpan BakeTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Consecutive passes of every probe that count as healthy after a rollback. Default 3.</summary>
    public int HealthySuccesses { get; set; } = 3;

    /// <summary>How long a rollback waits for the component to become healthy before it fails. Default 2m.</summary>
    public TimeSpan HealthyTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The rollback plan, step by step. Default: the provider's plan (switch, restart when declared, wait-healthy).</summary>
    public List<PlanStepConfig>? Plan { get; set; }

    /// <summary>
    /// The longest a rollback of the component may run, from its start to its last step (approval gates in the plan
    /// included); when it runs out, the running step is interrupted and the rollback fails and pages. Default: none
    /// (each step's own timeout still applies).
    /// </summary>
    public TimeSpan? PlanTimeout { get; set; }

    /// <summary>Checks after every rollback of the component, before it counts as succeeded: smoke tests and policies holding.</summary>
    public VerifyConfig Verify { get; set; } = new();

    /// <summary>Backups of the component: base backups, WAL and logical dumps of a <c>postgres</c> component; copies of declared paths of any. Default: none.</summary>
    public BackupsConfig? Backups { get; set; }
}

public sealed class ProviderConfig
{
    public ReleaseDirConfig? ReleaseDir { get; set; }

    public CommandProviderConfig? Command { get; set; }

    /// <summary>A deploy API: one request (templated URL, headers with secrets, body) moves the component to the target.</summary>
    public HttpStepConfig? Http { get; set; }

    /// <summary>Configuration files: a copy per recorded release, restored atomically with the current files kept for undo.</summary>
    public FilesProviderConfig? Files { get; set; }

    /// <summary>A PostgreSQL cluster: backed up, given restore points, restored to a point in time.</summary>
    public PostgresProviderConfig? Postgres { get; set; }

    public string Kind =>
        ReleaseDir is not null ? "release-dir" : Command is not null ? "command" : Http is not null ? "http" : Files is not null ? "files" : Postgres is not null ? "postgres" : "none";

    public int KindCount => (ReleaseDir is null ? 0 : 1) + (Command is null ? 0 : 1) + (Http is null ? 0 : 1) + (Files is null ? 0 : 1) + (Postgres is null ? 0 : 1);
}

public sealed class ReleaseDirConfig
{
    /// <summary>The directory holding <c>releases/&lt;version&gt;</c> and the <c>current</c> symlink.</summary>
    public string Path { get; set; } = "";

    /// <summary>The argument vector that restarts the service after a switch. Never run through a shell.</summary>
    public List<string> Restart { get; set; } = [];

    /// <summary>How long the restart command may take. Default 60s.</summary>
    public TimeSpan RestartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

public sealed class ProbeConfig
{
    /// <summary>One kind per probe: <c>http</c>, <c>tcp</c>, <c>command</c> or <c>postgres</c>.</summary>
    public HttpProbeConfig? Http { get; set; }

    public TcpProbeConfig? Tcp { get; set; }

    public CommandProbeConfig? Command { get; set; }

    public PostgresProbeConfig? Postgres { get; set; }

    /// <summary>Time between two runs of the probe. Default 10s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one run may take before it counts as failed. Default 5s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed runs in a row before the probe counts as failing (health, bake, member fractions). Default 1.</summary>
    public int FailureThreshold { get; set; } = 1;

    /// <summary>
    /// The host whose agent runs the probe (<c>rewind agent</c>): a check that only answers there, such as a file on the
    /// host or <c>http://127.0.0.1:8080/health</c>. The controller does not run it; it takes the agent's samples. For a
    /// fleet, one of its hosts. Default: none, the controller runs it.
    /// </summary>
    public string? Host { get; set; }

    /// <summary>The URL of an http or postgres probe; <see langword="null"/> for the other kinds.</summary>
    public string? Url() => Http?.Url ?? Postgres?.Url;

    /// <summary>A copy with the http or postgres probe's URL replaced; this probe is left as it is.</summary>
    public ProbeConfig WithUrl(string url)
    {
        var copy = (ProbeConfig)MemberwiseClone();
        copy.Http = Http?.WithUrl(url);
        copy.Postgres = Postgres?.WithUrl(url);
        return copy;
    }
}

public sealed class HttpProbeConfig
{
    public string Url { get; set; } = "";

    /// <summary>The status code that counts as a pass. Default 200.</summary>
    public int ExpectStatus { get; set; } = 200;

    /// <summary>Optional: a field of the JSON body that must equal a value.</summary>
    public JsonFieldConfig? JsonField { get; set; }

    /// <summary>Optional: a regular expression the body must match (checked with a 100 ms match timeout).</summary>
    public string? BodyMatches { get; set; }

    /// <summary>Optional: a response slower than this fails the probe even when it is right.</summary>
    public TimeSpan? MaxLatency { get; set; }

    /// <summary>
    /// Optional, https only: the probe fails when the server's certificate expires in fewer days than this, so an
    /// expiring certificate is found while there is still time to renew it.
    /// </summary>
    public int? MinCertDays { get; set; }

    /// <summary>
    /// Accept a certificate that does not verify (self-signed, wrong name, untrusted chain). Default false: a chain
    /// error fails the probe. Expiry is still checked by <see cref="MinCertDays"/>.
    /// </summary>
    public bool InsecureSkipVerify { get; set; }

    /// <summary>Set from the component's <c>version-source</c> (not a key of its own): the JSON path of the serving version in the answer.</summary>
    public string? VersionField { get; internal set; }

    internal HttpProbeConfig WithUrl(string url)
    {
        var copy = (HttpProbeConfig)MemberwiseClone();
        copy.Url = url;
        return copy;
    }
}

public sealed class JsonFieldConfig
{
    /// <summary>Dotted path into the JSON body, e.g. <c>status</c> or <c>checks.db</c>.</summary>
    public string Path { get; set; } = "";

    /// <summary>The value the field must have, compared as text.</summary>
    [ConfigKey("equals")]
    public string Expected { get; set; } = "";
}

/// <summary>One Prometheus text endpoint and the series in it that count requests.</summary>
public sealed class ScrapeConfig
{
    public string Url { get; set; } = "";

    /// <summary>Time between scrapes. Default 5s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one scrape may take. Default 2s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The request counter, labelled with the status code. Default http_requests_total.</summary>
    public string RequestsMetric { get; set; } = "http_requests_total";

    /// <summary>The label holding the status code; 5xx counts as an error. Default code.</summary>
    public string CodeLabel { get; set; } = "code";

    /// <summary>The request-duration histogram. Default http_request_duration_seconds.</summary>
    public string DurationHistogram { get; set; } = "http_request_duration_seconds";

    /// <summary>Optional: requests slower than this count as bad events too (the bucket at or below it is used).</summary>
    public TimeSpan? LatencyObjective { get; set; }

    /// <summary>Gauges of the endpoint published as signals <c>scrape.name</c> (the sum over the metric's series), e.g. <c>memory: process_resident_memory_bytes</c>.</summary>
    public Dictionary<string, string> Gauges { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A PromQL instant query: its single value is a signal named after the query.</summary>
public sealed class QueryConfig
{
    /// <summary>The Prometheus server's base URL, e.g. <c>http://127.0.0.1:9090</c>.</summary>
    public string Prometheus { get; set; } = "";

    public string Promql { get; set; } = "";

    /// <summary>Time between queries. Default 15s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one query may take. Default 5s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>A kind of event the application pushes, such as a payment failure.</summary>
public sealed class EventConfig
{
    /// <summary>What the event means, shown on incident evidence.</summary>
    public string Description { get; set; } = "";
}

/// <summary>A cap on automatic rollbacks, against flapping between releases that all turn out bad.</summary>
public sealed class AutoRollbackLimitConfig
{
    /// <summary>Automatic rollbacks allowed in one window. Default 3.</summary>
    public int Count { get; set; } = 3;

    /// <summary>The sliding window. Default 1h.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Passes when a TCP connection to host:port opens within the timeout.</summary>
public sealed class TcpProbeConfig
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; }
}

/// <summary>Runs an argument vector (never a shell string); passes on the expected exit code within the timeout.</summary>
public sealed class CommandProbeConfig
{
    public List<string> Argv { get; set; } = [];

    /// <summary>The exit code that counts as a pass. Default 0.</summary>
    public int ExpectExit { get; set; }
}

/// <summary>Connects to PostgreSQL and runs a query; passes when the query runs and, if asked, returns the expected value.</summary>
public sealed class PostgresProbeConfig
{
    /// <summary>Where to connect: <c>postgres://user:password@host:port/database</c>, the same form as <c>store</c>. Never shown with its password.</summary>
    public string Url { get; set; } = "";

    /// <summary>The query to run. Default <c>select 1</c>.</summary>
    public string Query { get; set; } = "select 1";

    /// <summary>Optional: the first column of the first row must equal this, compared as text. Without it, any result passes.</summary>
    public string? Expect { get; set; }

    internal PostgresProbeConfig WithUrl(string url)
    {
        var copy = (PostgresProbeConfig)MemberwiseClone();
        copy.Url = url;
        return copy;
    }
}

/// <summary>
/// <c>components.NAME.unreachable</c>: how long a step for a host waits for the host's agent to take it and report it
/// before it ends as <c>unreachable</c> (a state of its own, not a failure of the step), which fails the rollback and pages.
/// </summary>
public sealed class UnreachableConfig
{
    /// <summary>Default 2m.</summary>
    public TimeSpan Wait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// For a fleet: <c>fail</c> (default) counts an unreachable host against the failure budget; <c>skip</c> leaves it on
    /// its release, pages, and goes on with the others. A single host (<c>host:</c>) always fails the step.
    /// </summary>
    public UnreachableAction Then { get; set; } = UnreachableAction.Fail;
}

/// <summary>What a fleet rollback does with a host whose agent is unreachable.</summary>
public enum UnreachableAction
{
    Fail,
    Skip,
}

/// <summary><c>components.NAME.fleet</c>: how the hosts of a fleet are rolled back.</summary>
public sealed class FleetConfig
{
    /// <summary>Hosts rolled back at once, 1 (host by host, the default) to 100.</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>Hosts that may fail (or be unreachable, with <c>then: fail</c>) before no further host is started. Default 0.</summary>
    public int MaxFailed { get; set; }
}
