using System.CommandLine;
using Rewind.Core.Backups;
using Rewind.Core.Configuration;
using Rewind.Runtime.Backups;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary><c>rewind backup run|list|verify|restore|restore-point|expire|dump|restore-table|restore-dump|files|restore-files</c>: a component's backups, on its host.</summary>
internal static class BackupCommands
{
    public static Command Create(CliContext context) =>
        new("backup", "Backups of a component (run on its host, from the config file): base backups, logical dumps and file backups; take, list, verify, restore.")
        {
            Run(context),
            List(context),
            Verify(context),
            BackupRestoreCommand.Create(context),
            RestorePoint(context),
            Expire(context),
            BackupDumpCommands.Dump(context),
            BackupDumpCommands.RestoreTable(context),
            BackupDumpCommands.RestoreDump(context),
            BackupFileCommands.Files(context),
            BackupFileCommands.RestoreFiles(context),
        };

    private static Command Run(CliContext context)
    {
        var (config, component) = (BackupContext.ConfigOption(), BackupContext.ComponentArgument());
        var incremental = new Option<bool>("--incremental")
        {
            Description = "Store only the files changed since the newest set (same timeline, PostgreSQL version and key, chain intact, within backups.incremental.max-chain) and reference the others; a full set, saying why, when there is none. pg_basebackup still copies the whole cluster",
        };
        var command = new Command("run", "Take a base backup of a postgres component now (pg_basebackup, then every file checksummed, compressed and encrypted into the repository).") { component, incremental, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (target, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (target?.Tools is not { } tools)
            {
                return target is null ? exit : await FailAsync(context, $"{target.Component} is not a postgres component");
            }

            var request = new BaseBackupRequest(target.Url) { Incremental = parse.GetValue(incremental), MaxChain = target.Config.Incremental?.MaxChain ?? 0 };
            var result = await new BaseBackup(target.Repository, tools).RunAsync(request, cancellationToken);
            if (!result.Succeeded || result.Manifest is not { } set)
            {
                return await FailAsync(context, result.Message);
            }

            context.Console.MarkupLine($"backup of {Markup.Escape(target.Component)}: {Markup.Escape(BackupJobs.Summary(set, result.WhyFull))}, {Durations.Format(set.Finished - set.Started)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var (config, component) = (BackupContext.ConfigOption(), BackupContext.ComponentArgument());
        var command = new Command("list", "List the base backups (full or incremental and its parent, size, bytes stored in the set, age, WAL they need), the archived WAL (its coverage and any gap), the logical dumps and the file sets.") { component, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (target, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (target is null)
            {
                return exit;
            }

            var now = TimeProvider.System.GetUtcNow();
            var sets = await target.Repository.ListSetsAsync(cancellationToken);
            var wal = await target.Repository.ListWalAsync(cancellationToken);
            if (target.Postgres is not null || sets.Count > 0)
            {
                var table = new Table().AddColumns("set", "type", "parent", "taken", "age", "size", "stored", "WAL needed", "encrypted");
                foreach (var set in sets.OrderBy(s => s.SetId, StringComparer.Ordinal))
                {
                    var type = set.Type == BackupType.Incremental ? "incremental" : "full";
                    table.AddRow(set.SetId, type, set.Parent ?? "", Output.Render.Time(set.Finished), Durations.Format(now - set.Finished), Size(set.TotalSize), Size(set.TotalStoredSize), $"{set.WalStart}..{set.WalStop}", set.KeyId is null ? "no" : "yes");
                }

                context.Console.Write(table);
                context.Console.MarkupLine(Markup.Escape(WalCoverage.Describe(sets, wal, now)));
            }

            await BackupSetListing.WriteAsync(context, target.Repository, now, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify(CliContext context)
    {
        var (config, component) = (BackupContext.ConfigOption(), BackupContext.ComponentArgument());
        var set = new Option<string?>("--set") { Description = "Check only this set: a base backup, dump or file set id (default: every set)" };
        var full = new Option<bool>("--full") { Description = "Then a restore drill: restore the newest state into a scratch directory, run the declared verify.queries, measure the recovery time (RTO) and data loss (RPO), remove it" };
        var command = new Command("verify", "Quick verification: every stored file (base backups, WAL, dumps, file sets) read back against its checksum, the WAL chain complete, ages within the schedule, the key right. Exit 1 on any error.") { component, set, full, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (target, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (target is null)
            {
                return exit;
            }

            var started = TimeProvider.System.GetUtcNow();
            var report = await new BackupVerifier(target.Repository).VerifyAsync(target.Verification(parse.GetValue(set)), cancellationToken);
            foreach (var finding in report.Findings)
            {
                context.Console.MarkupLine(finding.Severity == FindingSeverity.Error ? $"[red]{Markup.Escape(finding.ToString())}[/]" : Markup.Escape(finding.ToString()));
            }

            var throughput = report.Duration > TimeSpan.Zero ? report.BytesChecked / report.Duration.TotalSeconds : 0;
            context.Console.MarkupLine($"{(report.Passed ? "[green]verified[/]" : "[red]FAILED[/]")}: {report.SetsChecked.Count} set(s), {report.DumpsChecked.Count} dump(s), {report.FileSetsChecked.Count} file set(s), {report.FilesChecked} file(s) and {report.WalFilesChecked} WAL file(s), {Size(report.BytesChecked)} read back in {Durations.Format(report.Duration)} ({Size((long)throughput)}/s); newest backup {Age(report.NewestBackupAge)}, newest WAL {Age(report.NewestWalAge)}");
            if (parse.GetValue(set) is null)
            {
                var errors = report.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.ToString());
                var summary = string.Join("; ", new[] { $"by hand: {report.SetsChecked.Count} set(s), {report.FilesChecked} file(s), {report.WalFilesChecked} WAL file(s) checked" }.Concat(errors));
                await BackupContext.RecordAsync(context, parse.GetValue(config)!, new BackupRun(target.Component, BackupRun.Verify, started, TimeProvider.System.GetUtcNow(), report.Passed, summary), cancellationToken);
            }

            if (!report.Passed || !parse.GetValue(full))
            {
                return report.Passed ? ExitCodes.Ok : ExitCodes.Failed;
            }

            return await DrillAsync(context, target, parse.GetValue(config)!, cancellationToken);
        });
        return command;
    }

    /// <summary>Full verification: a restore of the newest state into a scratch directory, checked and measured, then removed.</summary>
    private static async Task<int> DrillAsync(CliContext context, BackupTarget target, string configPath, CancellationToken cancellationToken)
    {
        if (target.Tools is null)
        {
            return await FailAsync(context, $"{target.Component} is not a postgres component: a restore drill needs a cluster's backups");
        }

        var started = TimeProvider.System.GetUtcNow();
        var drill = await target.DrillAsync(configPath, cancellationToken);
        await BackupContext.RecordAsync(context, configPath, new BackupRun(target.Component, BackupRun.Drill, started, TimeProvider.System.GetUtcNow(), drill.Succeeded, "by hand: " + drill.Describe()), cancellationToken);
        foreach (var check in drill.Restore.Checks)
        {
            context.Console.MarkupLine($"  check {(check.Passed ? "[green]ok[/]" : "[red]FAILED[/]")}: {Markup.Escape(check.Query)} -> {Markup.Escape(check.Result)}");
        }

        if (!drill.Succeeded)
        {
            return await FailAsync(context, $"restore drill failed: {drill.Restore.Message}");
        }

        context.Console.MarkupLine($"[green]restore drill passed[/]: {Markup.Escape(drill.Describe())}; scratch directory removed");
        return ExitCodes.Ok;
    }

    private static Command RestorePoint(CliContext context)
    {
        var (config, component) = (BackupContext.ConfigOption(), BackupContext.ComponentArgument());
        var name = new Argument<string>("name") { Description = "The restore point's name (letters, digits, '-', '_', '.', ':')" };
        var command = new Command("restore-point", "Create a named restore point on the running cluster now (pg_create_restore_point).") { component, name, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (target, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (target?.Postgres is null)
            {
                return target is null ? exit : await FailAsync(context, $"{target.Component} is not a postgres component");
            }

            var lsn = await PointInTimeRestore.CreateRestorePointAsync(target.ConnectionString, parse.GetValue(name)!, cancellationToken);
            context.Console.MarkupLine($"restore point [bold]{Markup.Escape(parse.GetValue(name)!)}[/] at {lsn}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Expire(CliContext context)
    {
        var (config, component) = (BackupContext.ConfigOption(), BackupContext.ComponentArgument());
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be removed; remove nothing" };
        var command = new Command("expire", "Apply retention: remove the base backups, dumps and file sets beyond the newest retention.count of their kind that are older than retention.age (base backups per chain: a full set goes only with every incremental that depends on it), the WAL only the removed base backups needed, and leftovers of killed work. The controller does this after each scheduled backup.") { component, dryRun, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (target, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (target is null)
            {
                return exit;
            }

            var result = await target.ExpireAsync(parse.GetValue(dryRun), cancellationToken);
            context.Console.MarkupLine(Markup.Escape(result.Describe()));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static async Task<int> FailAsync(CliContext context, string message)
    {
        await context.Error.WriteLineAsync($"error: {message}");
        return ExitCodes.Failed;
    }

    internal static string Size(long bytes) => Sizes.Format(bytes);

    private static string Age(TimeSpan? age) => age is { } a ? Durations.Format(a) + " old" : "none";
}
