using Rewind.Core.Releases;

namespace Rewind.Core.Configuration;

/// <summary>Checks of game days: a known target, exactly one fault, sensible targets, a data check that can run.</summary>
internal static partial class ConfigValidator
{
    private static readonly string[] DrillSignals = ["TERM", "KILL", "INT", "HUP", "QUIT", "STOP"];

    private static void ValidateDrills(RewindConfig config, Action<object, string?, string> add)
    {
        foreach (var (name, drill) in config.Drills)
        {
            var at = $"drills.{name}";
            if (!Name().IsMatch(name))
            {
                add(config.Drills, name, $"{at}: a name is lower-case letters, digits, '-', '_' or '.', starting with a letter or digit");
            }

            ValidateDrillTarget(at, config, drill, add);
            ValidateDrillFault($"{at}.fault", config, drill, drill.Fault, clear: false, add);
            if (drill.Clear is { } clear)
            {
                ValidateDrillFault($"{at}.clear", config, drill, clear, clear: true, add);
            }

            ValidateDrillTargets(at, drill, add);
            ValidateDrillData(at, drill, add);
            ValidateCron($"{at}.schedule", drill, "schedule", drill.Schedule, add);
            if (drill.Approvals is not (DrillApprovals.AsConfigured or DrillApprovals.Drill))
            {
                add(drill, "approvals", $"{at}.approvals: '{drill.Approvals}' is not {DrillApprovals.AsConfigured} (people approve, as in production) or {DrillApprovals.Drill} (the drill approves, recorded)");
            }

            if (drill.Timeout < TimeSpan.FromSeconds(10) || drill.Timeout > TimeSpan.FromHours(24))
            {
                add(drill, "timeout", $"{at}.timeout: {Durations.Format(drill.Timeout)} is outside 10s..24h");
            }

            if (drill.Description is { Length: > 500 })
            {
                add(drill, "description", $"{at}.description: at most 500 characters");
            }
        }
    }

    private static void ValidateDrillTarget(string at, RewindConfig config, DrillConfig drill, Action<object, string?, string> add)
    {
        if ((drill.Component is null ? 0 : 1) + (drill.Group is null ? 0 : 1) != 1)
        {
            add(drill, null, $"{at}: name exactly one of component or group: what the fault hits");
        }
        else if (drill.Component is { } component && !config.Components.ContainsKey(component))
        {
            add(drill, "component", $"{at}.component: '{component}' is not a component; expected one of: {string.Join(", ", config.Components.Keys.Order(StringComparer.Ordinal))}");
        }
        else if (drill.Group is { } group && !config.Groups.ContainsKey(group))
        {
            add(drill, "group", $"{at}.group: '{group}' is not a group; expected one of: {string.Join(", ", config.Groups.Keys.Order(StringComparer.Ordinal))}");
        }
    }

    private static void ValidateDrillFault(string at, RewindConfig config, DrillConfig drill, DrillFaultConfig fault, bool clear, Action<object, string?, string> add)
    {
        if (fault.KindCount != 1)
        {
            add(fault, null, $"{at}: declare exactly one of {(clear ? "command, http or stop" : "deploy, command, http or stop")}");
            return;
        }

        switch (fault)
        {
            case { Deploy: { } deploy } when clear:
                add(fault, "deploy", $"{at}.deploy: a drill's clear step cannot deploy; the rollback puts the release back");
                _ = deploy;
                break;
            case { Deploy: { } deploy }:
                ValidateDrillDeploy($"{at}.deploy", config, drill, deploy, add);
                break;
            case { Command: { } command }:
                ValidateCall($"{at}.command", command, "argv", command.Argv, command.Env, command.Timeout, command.AcceptExit, memberAllowed: false, add);
                RejectPlanStepOnly($"{at}.command", command, Templates(command), "a drill's fault", add);
                ValidateRetry($"{at}.command", command, command.Retries, command.Backoff, add);
                if (command.Host is not null)
                {
                    add(command, "host", $"{at}.command.host: a drill's fault runs on the controller's host for now; run the host's command through a command the controller can call (ssh) or an HTTP endpoint");
                }

                break;
            case { Http: { } http }:
                ValidateHttpStep($"{at}.http", http, add);
                RejectPlanStepOnly($"{at}.http", http, Templates(http), "a drill's fault", add);
                break;
            case { Stop: { } stop }:
                if (string.IsNullOrWhiteSpace(stop.PidFile))
                {
                    add(stop, "pid-file", $"{at}.stop.pid-file: required, the file holding the process id");
                }

                if (!DrillSignals.Contains(stop.Signal, StringComparer.Ordinal))
                {
                    add(stop, "signal", $"{at}.stop.signal: one of {string.Join(", ", DrillSignals)}");
                }

                break;
        }
    }

    private static void ValidateDrillDeploy(string at, RewindConfig config, DrillConfig drill, DrillDeployConfig deploy, Action<object, string?, string> add)
    {
        if (!ReleaseVersion.IsValid(deploy.Version))
        {
            add(deploy, "version", $"{at}.version: '{deploy.Version}' must be 1-64 characters of letters, digits, '.', '_', '+' or '-', starting with a letter or digit");
        }

        var members = drill.Group is { } group && config.Groups.TryGetValue(group, out var declared) ? declared.Components : [];
        var target = deploy.Component ?? drill.Component;
        if (target is null)
        {
            add(deploy, null, $"{at}.component: a group drill names the member the release is deployed to ({string.Join(", ", members)})");
        }
        else if (deploy.Component is not null && drill.Component is not null && deploy.Component != drill.Component)
        {
            add(deploy, "component", $"{at}.component: the drill hits {drill.Component}; leave component out or name it");
        }
        else if (drill.Group is not null && deploy.Component is { } member && !members.Contains(member, StringComparer.Ordinal))
        {
            add(deploy, "component", $"{at}.component: '{member}' is not a member of group {drill.Group} ({string.Join(", ", members)})");
        }
        else if (config.Components.TryGetValue(target, out var component) && component.Provider.Postgres is not null)
        {
            add(deploy, "version", $"{at}: {target} is a PostgreSQL cluster; it has no releases to deploy. Hit the application that uses it");
        }
    }

    private static void ValidateDrillTargets(string at, DrillConfig drill, Action<object, string?, string> add)
    {
        var targets = drill.Targets;
        foreach (var (key, value) in new[] { ("detect", targets.Detect), ("decide", targets.Decide), ("rollback", targets.Rollback), ("recover", targets.Recover) })
        {
            if (value is { } limit && limit <= TimeSpan.Zero)
            {
                add(targets, key, $"{at}.targets.{key}: must be positive");
            }
        }

        if (targets.Rpo is { } rpo && rpo < TimeSpan.Zero)
        {
            add(targets, "rpo", $"{at}.targets.rpo: zero or more (0: no acknowledged write may be lost)");
        }

        if (targets.Rpo is not null && drill.Data is null)
        {
            add(targets, "rpo", $"{at}.targets.rpo: the data lost is measured only with data (postgres, or write and read commands)");
        }
    }

    private static void ValidateDrillData(string at, DrillConfig drill, Action<object, string?, string> add)
    {
        if (drill.Data is not { } data)
        {
            return;
        }

        var commands = data.Write is not null || data.Read is not null;
        if ((data.Postgres is null ? 0 : 1) + (commands ? 1 : 0) != 1)
        {
            add(data, null, $"{at}.data: declare exactly one of postgres (a URL) or write and read (argv)");
        }
        else if (data.Postgres is { } url && !PostgresUrl.TryParse(url, out _))
        {
            add(data, "postgres", $"{at}.data.postgres: expected postgres://user:password@host:port/database");
        }
        else if (commands)
        {
            ValidateDrillDataCommand($"{at}.data", data, "write", data.Write, mark: true, add);
            ValidateDrillDataCommand($"{at}.data", data, "read", data.Read, mark: false, add);
        }

        if (data.Interval < TimeSpan.FromMilliseconds(100) || data.Interval > TimeSpan.FromMinutes(1))
        {
            add(data, "interval", $"{at}.data.interval: {Durations.Format(data.Interval)} is outside 100ms..1m");
        }

        if (data.Timeout <= TimeSpan.Zero)
        {
            add(data, "timeout", $"{at}.data.timeout: must be positive");
        }
    }

    private static void ValidateDrillDataCommand(string at, DrillDataConfig data, string key, List<string>? argv, bool mark, Action<object, string?, string> add)
    {
        if (argv is not { Count: > 0 } || argv.Any(string.IsNullOrEmpty))
        {
            add(data, key, $"{at}.{key}: a non-empty argument vector without empty elements; write and read go together");
        }
        else if (argv[0].Contains("{{", StringComparison.Ordinal))
        {
            add(data, key, $"{at}.{key}: the program (argv[0]) must be fixed, not a template");
        }
        else if (mark != argv.Any(a => a.Contains(DrillMarks.Placeholder, StringComparison.Ordinal)))
        {
            add(data, key, mark ? $"{at}.{key}: name the mark to write with {DrillMarks.Placeholder}" : $"{at}.{key}: prints every mark; {DrillMarks.Placeholder} belongs in write");
        }
    }
}

/// <summary>The placeholder of a drill's data writes.</summary>
public static class DrillMarks
{
    public const string Placeholder = "{{mark}}";
}
