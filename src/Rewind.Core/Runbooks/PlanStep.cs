using Rewind.Core.Configuration;
using System.Text.Json.Serialization;

namespace Rewind.Core.Runbooks;

/// <summary>
/// One step of a rollback plan, fully resolved when the plan is made: paths, versions and argv are written into the
/// store with the rollback, so a resumed rollback runs exactly what was planned even if the config changed meanwhile.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(SwitchStep), SwitchStep.KindName)]
[JsonDerivedType(typeof(RestartStep), RestartStep.KindName)]
[JsonDerivedType(typeof(WaitHealthyStep), WaitHealthyStep.KindName)]
[JsonDerivedType(typeof(CommandStep), CommandStep.KindName)]
[JsonDerivedType(typeof(HttpStep), HttpStep.KindName)]
[JsonDerivedType(typeof(BatchStep), BatchStep.KindName)]
[JsonDerivedType(typeof(NotifyStep), NotifyStep.KindName)]
[JsonDerivedType(typeof(ParallelStep), ParallelStep.KindName)]
[JsonDerivedType(typeof(PolicyHoldStep), PolicyHoldStep.KindName)]
[JsonDerivedType(typeof(ApprovalStep), ApprovalStep.KindName)]
[JsonDerivedType(typeof(TrafficStep), TrafficStep.KindName)]
[JsonDerivedType(typeof(MaintenanceStep), MaintenanceStep.KindName)]
[JsonDerivedType(typeof(FilesRestoreStep), FilesRestoreStep.KindName)]
[JsonDerivedType(typeof(FilesKeepStep), FilesKeepStep.KindName)]
[JsonDerivedType(typeof(SnapshotStep), SnapshotStep.KindName)]
[JsonDerivedType(typeof(DatabaseRestoreStep), DatabaseRestoreStep.KindName)]
[JsonDerivedType(typeof(BackupJobStep), BackupJobStep.KindName)]
[JsonDerivedType(typeof(OnHostStep), OnHostStep.KindName)]
[JsonDerivedType(typeof(FleetStep), FleetStep.KindName)]
[JsonDerivedType(typeof(SequenceStep), SequenceStep.KindName)]
public abstract record PlanStep
{
    [JsonIgnore]
    public abstract string Kind { get; }

    /// <summary>Whether the component is on the target release once this step succeeded (the provider's switch).</summary>
    [JsonIgnore]
    public virtual bool IsSwitch => false;

    /// <summary>
    /// The templates filled when a call is made (argv, environment, headers, body): where a step may name a
    /// <c>{{secret.NAME}}</c>, whose value <see cref="SecretRedactor"/> then keeps out of what the step reports.
    /// </summary>
    [JsonIgnore]
    public virtual IEnumerable<string> CallTemplates => [];

    /// <summary>One line saying exactly what the step does, for dry runs and records.</summary>
    public abstract string Describe();

    /// <summary>
    /// The step as the store keeps it: the password of every URL in it replaced by <c>***</c>
    /// (<see cref="Redaction.Url"/>). The step that runs takes a withheld password back from the config in force.
    /// </summary>
    public virtual PlanStep WithoutUrlPasswords() => this;
}

/// <summary>Points <c>current</c> at <c>releases/&lt;version&gt;</c> with one atomic rename. Idempotent.</summary>
public sealed record SwitchStep(string Root, string TargetVersion, string? FromVersion) : PlanStep
{
    public const string KindName = "switch";

    [JsonIgnore]
    public override string Kind => KindName;

    [JsonIgnore]
    public override bool IsSwitch => true;

    public string CurrentLink => Path.Combine(Root, "current");

    public string TargetDirectory => Path.Combine(Root, "releases", TargetVersion);

    public override string Describe() =>
        $"switch {CurrentLink} -> releases/{TargetVersion} (was {(FromVersion is null ? "unknown" : "releases/" + FromVersion)}; atomic rename)";
}

/// <summary>Runs the component's restart command as an argument vector; never through a shell.</summary>
public sealed record RestartStep(IReadOnlyList<string> Argv, string WorkingDirectory, TimeSpan Timeout) : PlanStep
{
    public const string KindName = "restart";

    [JsonIgnore]
    public override string Kind => KindName;

    public override string Describe() =>
        $"restart argv [{string.Join(", ", Argv.Select(Quote))}] in {WorkingDirectory} (timeout {Durations.Format(Timeout)})";

    private static string Quote(string value) => "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

/// <summary>
/// Waits until every named probe passes <see cref="Successes"/> times in a row, or fails after the timeout.
/// <see cref="Definitions"/> holds the probes as they were when the plan was made, so a resumed rollback checks
/// exactly what was planned; without it the runner looks the probes up in the config in force.
/// </summary>
public sealed record WaitHealthyStep(string Component, IReadOnlyList<string> Probes, int Successes, TimeSpan Timeout, IReadOnlyDictionary<string, ProbeConfig>? Definitions = null) : PlanStep
{
    public const string KindName = "wait-healthy";

    [JsonIgnore]
    public override string Kind => KindName;

    public override PlanStep WithoutUrlPasswords() => Definitions is null ? this : this with
    {
        Definitions = Definitions.ToDictionary(d => d.Key, d => d.Value.Url() is { } url && Redaction.Url(url) != url ? d.Value.WithUrl(Redaction.Url(url)) : d.Value, StringComparer.Ordinal),
    };

    public override string Describe() =>
        $"wait-healthy probes [{string.Join(", ", Probes.Select(DescribeProbe))}]: {Successes} consecutive passes within {Durations.Format(Timeout)}";

    private string DescribeProbe(string name) => Definitions?.GetValueOrDefault(name) switch
    {
        { Http: { } http } => $"{name}: GET {Redaction.Url(http.Url)} expect {http.ExpectStatus}{DescribeHttpChecks(http)}",
        { Tcp: { } tcp } => $"{name}: TCP connect {tcp.Host}:{tcp.Port}",
        { Command: { } command } => $"{name}: argv [{string.Join(", ", command.Argv.Select(a => "\"" + a + "\""))}] expect exit {command.ExpectExit}",
        { Postgres: { } postgres } => $"{name}: PostgreSQL {Redaction.Url(postgres.Url)} query \"{postgres.Query}\"{(postgres.Expect is { } expect ? $" expect '{expect}'" : "")}",
        _ => name,
    };

    private static string DescribeHttpChecks(HttpProbeConfig http) =>
        (http.JsonField is { } field ? $" and {field.Path} = {field.Expected}" : "")
        + (http.MinCertDays is { } days ? $" and certificate valid >= {days} days" : "")
        + (http.InsecureSkipVerify ? " (certificate not verified)" : "");
}
