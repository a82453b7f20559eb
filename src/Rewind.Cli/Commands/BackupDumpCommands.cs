using System.CommandLine;
using Rewind.Core.Configuration;
using Rewind.Runtime.Backups;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary>
/// <c>rewind backup dump|restore-table|restore-dump</c>: logical dumps of a postgres component, and restores from them
/// that never overwrite live data (a new schema, or a new database).
/// </summary>
internal static class BackupDumpCommands
{
    public static Command Dump(CliContext context)
    {
        var (config, component) = (BackupContext.ConfigOption(), BackupContext.ComponentArgument());
        var database = new Option<string[]>("--database") { Description = "Dump this database (repeatable; default: backups.logical.databases, else the provider URL's database)" };
        var command = new Command("dump", "Take a logical dump (pg_dump -Fc) of a postgres component's databases now: one set with a checksummed file per database, compressed and encrypted as the repository is configured.") { component, database, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (target, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (target is null)
            {
                return exit;
            }

            var result = await target.DumpAsync(parse.GetValue(database) is { Length: > 0 } named ? named : null, cancellationToken);
            if (!result.Succeeded)
            {
                return await BackupCommands.FailAsync(context, result.Message);
            }

            context.Console.MarkupLine($"{Markup.Escape(result.Message)}, {Durations.Format(result.Duration)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command RestoreTable(CliContext context)
    {
        var (config, component) = (BackupContext.ConfigOption(), BackupContext.ComponentArgument());
        var table = new Option<string[]>("--table") { Description = "A table to restore, NAME or SCHEMA.NAME (repeatable)", Required = true };
        var dump = new Option<string?>("--dump") { Description = "The dump set (default: the newest holding the database)" };
        var schema = new Option<string?>("--schema") { Description = "The new schema the tables are created in; must not exist (default: rewind_restore_<dump id>)" };
        var database = DatabaseOption();
        var command = new Command("restore-table", "Restore tables (columns and rows) from a logical dump into a NEW schema of the live database, never over the live tables, to compare and copy rows back.")
        {
            component, table, dump, schema, database, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (target, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (target?.DumpRestore() is not { } restore)
            {
                return target is null ? exit : await BackupCommands.FailAsync(context, $"{target.Component} is not a postgres component");
            }

            var request = new TableRestoreRequest(target.Url, parse.GetValue(database) ?? target.DefaultDatabase, parse.GetValue(table)!) { SetId = parse.GetValue(dump), Schema = parse.GetValue(schema) };
            var result = await restore.RestoreTablesAsync(request, cancellationToken);
            if (!result.Succeeded)
            {
                return await BackupCommands.FailAsync(context, result.Message);
            }

            foreach (var restored in result.Tables)
            {
                context.Console.MarkupLine($"  {Markup.Escape(restored.Source)} -> [bold]{Markup.Escape(restored.Target)}[/]: {restored.Rows} rows");
            }

            var (first, copy) = (result.Tables[0], result.Tables[0].Target.Split('.')[0]);
            context.Console.MarkupLine($"restored {result.Tables.Count} table(s) from dump {result.SetId} into {Markup.Escape(request.Database)} in {Durations.Format(result.Duration)}; the live tables are untouched");
            context.Console.MarkupLine(Markup.Escape($"compare, e.g. SELECT * FROM {first.Target} EXCEPT SELECT * FROM {first.Source}; drop the copy when done: DROP SCHEMA {copy} CASCADE"));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command RestoreDump(CliContext context)
    {
        var (config, component) = (BackupContext.ConfigOption(), BackupContext.ComponentArgument());
        var into = new Option<string>("--into") { Description = "The NEW database to restore into; refused when it exists", Required = true };
        var dump = new Option<string?>("--dump") { Description = "The dump set (default: the newest holding the database)" };
        var database = DatabaseOption();
        var command = new Command("restore-dump", "Restore a whole logical dump into a NEW database of the cluster (pg_restore, one transaction); an existing database is never written to.")
        {
            component, into, dump, database, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (target, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (target?.DumpRestore() is not { } restore)
            {
                return target is null ? exit : await BackupCommands.FailAsync(context, $"{target.Component} is not a postgres component");
            }

            var request = new DatabaseRestoreRequest(target.Url, parse.GetValue(database) ?? target.DefaultDatabase, parse.GetValue(into)!) { SetId = parse.GetValue(dump) };
            var result = await restore.RestoreDatabaseAsync(request, cancellationToken);
            if (!result.Succeeded)
            {
                return await BackupCommands.FailAsync(context, result.Message);
            }

            context.Console.MarkupLine($"{Markup.Escape(result.Message)} in {Durations.Format(result.Duration)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<string?> DatabaseOption() => new("--database") { Description = "The dumped database to restore from (default: the provider URL's database)" };
}
