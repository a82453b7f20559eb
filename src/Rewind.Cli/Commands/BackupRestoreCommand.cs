using System.CommandLine;
using System.Globalization;
using Npgsql;
using Rewind.Core.Backups;
using Rewind.Core.Configuration;
using Rewind.Runtime.Backups;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary>
/// <c>rewind backup restore</c>: a point-in-time restore into a new data directory beside the live one, started and
/// checked there, then swapped in (the live cluster must be stopped by then; the replaced directory is kept).
/// </summary>
internal static class BackupRestoreCommand
{
    public static Command Create(CliContext context)
    {
        var (config, component) = (BackupContext.ConfigOption(), BackupContext.ComponentArgument());
        var time = new Option<string?>("--time") { Description = "Restore to this instant (ISO 8601 with offset, e.g. 2026-11-22T03:12:00Z): every commit up to it, none after" };
        var point = new Option<string?>("--restore-point") { Description = "Restore to a named restore point (made with `rewind backup restore-point`)" };
        var beforeRelease = new Option<string?>("--before-release") { Description = "Restore to just before a release: COMPONENT/VERSION (the restore point rewind made when it was first recorded)" };
        var beforeRollback = new Option<string?>("--before-rollback") { Description = "Restore to just before a rollback started: RB-… (the restore point rewind made then)" };
        var latest = new Option<bool>("--latest") { Description = "Restore to the end of the archived WAL: the newest state the archive holds" };
        var set = new Option<string?>("--set") { Description = "The base backup to start from (default: the newest that finished before the target)" };
        var beside = new Option<bool>("--beside") { Description = "Restore and verify next to the live data directory, without swapping it in" };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation (required when not on a terminal)" };
        var command = new Command("restore", "Restore a postgres component to a point in time: into a new data directory, started and verified, then swapped in; the replaced directory is kept. Nothing is deleted.")
        {
            component, time, point, beforeRelease, beforeRollback, latest, set, beside, yes, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (Target(parse.GetValue(time), PointName(parse.GetValue(point), parse.GetValue(beforeRelease), parse.GetValue(beforeRollback)), parse.GetValue(latest)) is not { } target)
            {
                await context.Error.WriteLineAsync("error: give exactly one of --time, --restore-point, --before-release, --before-rollback or --latest (a --time with its offset, e.g. 2026-11-22T03:12:00Z; --before-release as COMPONENT/VERSION)");
                return ExitCodes.Invalid;
            }

            var (backup, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (backup?.Tools is not { } tools || backup.Postgres is not { } postgres)
            {
                return backup is null ? exit : await BackupCommands.FailAsync(context, $"{backup.Component} is not a postgres component");
            }

            var swap = !parse.GetValue(beside);
            context.Console.MarkupLine($"restore {Markup.Escape(backup.Component)} to {Markup.Escape(target.Describe())} into a new directory beside {Markup.Escape(postgres.DataDirectory)}{(swap ? ", then swap it in (the live one is kept, renamed)" : ", not swapped in")}");
            if (!parse.GetValue(yes) && await RollbackCommand.ConfirmAsync(context, $"Restore {backup.Component}?") is { } refused)
            {
                return refused;
            }

            await SnapshotAsync(context, backup, cancellationToken);
            var request = new RestoreRequest(postgres.DataDirectory, target, backup.FetchCommand(parse.GetValue(config)!))
            {
                SetId = parse.GetValue(set),
                SwapIntoPlace = swap,
                ConnectionString = backup.CheckConnectionString(),
                VerificationQueries = backup.CheckQueries(),
            };
            var progress = new PhaseLines(context);
            var result = await new PointInTimeRestore(backup.Repository, tools).RestoreAsync(request, progress, cancellationToken);
            foreach (var check in result.Checks)
            {
                context.Console.MarkupLine($"  check {(check.Passed ? "[green]ok[/]" : "[red]FAILED[/]")}: {Markup.Escape(check.Query)} -> {Markup.Escape(check.Result)}");
            }

            if (!result.Succeeded)
            {
                return await BackupCommands.FailAsync(context, result.Message);
            }

            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[green]restored[/] {Markup.Escape(backup.Component)} from set {result.SetId} to {Markup.Escape(target.Describe())}: {BackupCommands.Size(result.BytesRestored)} in {Durations.Format(result.FilesDuration)}, recovery {Durations.Format(result.RecoveryDuration)}, {Durations.Format(result.Duration)} in all"));
            context.Console.MarkupLine(result.ReplacedDirectory is { } kept ? $"the replaced data directory is kept in {Markup.Escape(kept)}; start the cluster" : $"restored into {Markup.Escape(result.RestoredDirectory ?? "?")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Words(string pascal) => string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The restore point asked for, by name or by what rewind named it after; "" when more than one was given.</summary>
    private static string? PointName(string? point, string? beforeRelease, string? beforeRollback)
    {
        if ((point is null ? 0 : 1) + (beforeRelease is null ? 0 : 1) + (beforeRollback is null ? 0 : 1) > 1)
        {
            return "";
        }

        return beforeRelease is { } release ? (release.Split('/') is [var c, var v] && c.Length > 0 && v.Length > 0 ? RestorePointNames.ForRelease(c, v) : "")
            : beforeRollback is { } rollback ? RestorePointNames.BeforeRollback(rollback)
            : point;
    }

    private static RestoreTarget? Target(string? time, string? point, bool latest)
    {
        if ((time is null ? 0 : 1) + (point is null ? 0 : 1) + (latest ? 1 : 0) != 1)
        {
            return null;
        }

        if (time is not null)
        {
            return DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) && (time.EndsWith('Z') || time.Contains('+', StringComparison.Ordinal) || time.LastIndexOf('-') > 9)
                ? RestoreTarget.AtTime(at)
                : null;
        }

        return point is not null ? (point.Length == 0 ? null : RestoreTarget.AtRestorePoint(point)) : RestoreTarget.EndOfWal;
    }

    /// <summary>A restore point on the live cluster first, when it is running: the state just before the restore stays reachable.</summary>
    private static async Task SnapshotAsync(CliContext context, BackupTarget backup, CancellationToken cancellationToken)
    {
        var name = $"rewind-before-restore-{TimeProvider.System.GetUtcNow():yyyyMMddTHHmmssZ}";
        try
        {
            var lsn = await PointInTimeRestore.CreateRestorePointAsync(backup.ConnectionString, name, cancellationToken);
            context.Console.MarkupLine($"restore point {name} at {lsn} on the live cluster: the state before this restore stays reachable");
        }
        catch (NpgsqlException ex)
        {
            context.Console.MarkupLine($"[yellow]no restore point on the live cluster ({Markup.Escape(ex.Message)}); its data directory is kept as it is[/]");
        }
    }

    /// <summary>Prints each phase as it begins, in order (<see cref="Progress{T}"/> would post them to the thread pool, out of order).</summary>
    private sealed class PhaseLines(CliContext context) : IProgress<RestorePhase>
    {
        public void Report(RestorePhase value)
        {
            if (value != RestorePhase.Completed)
            {
                context.Console.MarkupLine($"  {Words(value.ToString())}");
            }
        }
    }
}
