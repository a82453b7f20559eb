namespace Rewind.Core.Configuration;

/// <summary>
/// A game day: a declared fault against a component or a group, after which Rewind must detect and recover exactly as in
/// production (same policies, plans and approvals), measured against <see cref="Targets"/>. Run by
/// <c>rewind drill run NAME</c> or on <see cref="Schedule"/>.
/// </summary>
public sealed class DrillConfig
{
    /// <summary>What the drill rehearses, in one line, shown in listings and reports. Default none.</summary>
    public string? Description { get; set; }

    /// <summary>The component the fault hits. Exactly one of this and <see cref="Group"/>.</summary>
    public string? Component { get; set; }

    /// <summary>A group: the fault hits the system, and every member's incident and rollback is measured.</summary>
    public string? Group { get; set; }

    /// <summary>How the fault is made: a designated bad release deployed, a command, an HTTP call, or a process stopped.</summary>
    public DrillFaultConfig Fault { get; set; } = new();

    /// <summary>How the fault is undone when the drill ends, whatever happened (a command or an HTTP call). Default none.</summary>
    public DrillFaultConfig? Clear { get; set; }

    /// <summary>The recovery targets the drill is judged against; a target left out is measured, not judged.</summary>
    public DrillTargetsConfig Targets { get; set; } = new();

    /// <summary>Writes made during the drill to measure the data lost (RPO). Default none: no data figure.</summary>
    public DrillDataConfig? Data { get; set; }

    /// <summary>When the drill runs by itself (cron, UTC, as backup schedules). Default none: only on request.</summary>
    public string? Schedule { get; set; }

    /// <summary>
    /// <c>as-configured</c> (default): the plans' approval gates wait for people, as in production. <c>drill</c>: the
    /// drill approves each gate itself (recorded as such), for an unattended rehearsal.
    /// </summary>
    public string Approvals { get; set; } = DrillApprovals.AsConfigured;

    /// <summary>How long the drill waits for detection and recovery before it fails. Default 30m.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>The values of <see cref="DrillConfig.Approvals"/>.</summary>
public static class DrillApprovals
{
    public const string AsConfigured = "as-configured";
    public const string Drill = "drill";
}

/// <summary>Exactly one way to make (or clear) the fault.</summary>
public sealed class DrillFaultConfig
{
    /// <summary>Deploy a designated bad release of the component: recorded as deploying, then the provider's switch to it.</summary>
    public DrillDeployConfig? Deploy { get; set; }

    /// <summary>One command (argv, never a shell), e.g. a flag flipped through a CLI.</summary>
    public CommandStepConfig? Command { get; set; }

    /// <summary>One HTTP request, e.g. a fault-injection endpoint or a feature-flag API.</summary>
    public HttpStepConfig? Http { get; set; }

    /// <summary>Stop a process: a signal to the PID in a file.</summary>
    public DrillStopConfig? Stop { get; set; }

    public int KindCount => (Deploy is null ? 0 : 1) + (Command is null ? 0 : 1) + (Http is null ? 0 : 1) + (Stop is null ? 0 : 1);

    /// <summary>What the fault does in a few words (<c>deploy v2</c>, <c>command flip</c>); with <paramref name="full"/> the whole argv, URL or pid file.</summary>
    public string Describe(bool full = false) => this switch
    {
        { Deploy: { } deploy } => $"deploy {deploy.Version}{(full && deploy.Component is not null ? $" to {deploy.Component}" : "")}",
        { Command: { } command } => full ? $"command {string.Join(' ', command.Argv)}" : $"command {command.Argv[0]}",
        { Http: { } http } => $"http {http.Method.ToUpperInvariant()}{(full ? " " + http.Url : "")}",
        { Stop: { } stop } => $"stop: SIG{stop.Signal} to the process in {(full ? stop.PidFile : Path.GetFileName(stop.PidFile))}",
        _ => "nothing",
    };
}

/// <summary>A designated bad release, deployed by the drill.</summary>
public sealed class DrillDeployConfig
{
    /// <summary>The release deployed (it must exist where the provider switches to it, e.g. <c>releases/VERSION</c>).</summary>
    public string Version { get; set; } = "";

    /// <summary>For a group drill: the member it is deployed to. Default: the drill's component.</summary>
    public string? Component { get; set; }
}

/// <summary>A process stopped by a signal.</summary>
public sealed class DrillStopConfig
{
    /// <summary>The file holding the process id (one decimal number).</summary>
    public string PidFile { get; set; } = "";

    /// <summary><c>TERM</c> (default), <c>KILL</c>, <c>INT</c>, <c>HUP</c>, <c>QUIT</c> or <c>STOP</c>.</summary>
    public string Signal { get; set; } = "TERM";
}

/// <summary>The drill's targets, each the longest acceptable time; <see cref="Rpo"/> the most data (in time) that may be lost.</summary>
public sealed class DrillTargetsConfig
{
    /// <summary>From the fault to the incident opened.</summary>
    public TimeSpan? Detect { get; set; }

    /// <summary>From the incident opened to the first rollback requested.</summary>
    public TimeSpan? Decide { get; set; }

    /// <summary>From the rollback requested to its last step finished.</summary>
    public TimeSpan? Rollback { get; set; }

    /// <summary>From the fault to every component hit back on a good release and healthy.</summary>
    public TimeSpan? Recover { get; set; }

    /// <summary>The data lost: the span of acknowledged writes gone after the recovery. Needs <see cref="DrillConfig.Data"/>.</summary>
    public TimeSpan? Rpo { get; set; }
}

/// <summary>
/// Marks written through the drill (one every <see cref="Interval"/>), then read back after the recovery: the
/// acknowledged marks that are gone are the data lost. Either a PostgreSQL database, or a write and a read command.
/// </summary>
public sealed class DrillDataConfig
{
    /// <summary>A <c>postgres://</c> URL: marks are rows of <c>rewind_drill_marks</c>, made by the drill.</summary>
    public string? Postgres { get; set; }

    /// <summary>The argv writing one mark; <c>{{mark}}</c> is the mark. Exit 0 acknowledges it.</summary>
    public List<string>? Write { get; set; }

    /// <summary>The argv printing the marks present, one per line (other lines are ignored).</summary>
    public List<string>? Read { get; set; }

    /// <summary>The working directory of write and read. Default: the config file's directory.</summary>
    public string? Dir { get; set; }

    /// <summary>How often a mark is written. Default 1s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one write or read may take. Default 10s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
