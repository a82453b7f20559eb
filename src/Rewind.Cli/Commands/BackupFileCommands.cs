using System.CommandLine;
using Rewind.Core.Configuration;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary><c>rewind backup files|restore-files</c>: file backups of a component's declared paths, restored into a new directory.</summary>
internal static class BackupFileCommands
{
    public static Command Files(CliContext context)
    {
        var (config, component) = (BackupContext.ConfigOption(), BackupContext.ComponentArgument());
        var command = new Command("files", "Back up the component's declared paths (backups.files.paths) now into a new set: every file checksummed, compressed and encrypted as the repository is configured, with modes; symbolic links kept as links.") { component, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (target, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (target is null)
            {
                return exit;
            }

            var result = await target.BackUpFilesAsync(cancellationToken);
            if (!result.Succeeded)
            {
                return await BackupCommands.FailAsync(context, result.Message);
            }

            foreach (var skipped in result.Skipped)
            {
                context.Console.MarkupLine($"[yellow]left out[/]: {Markup.Escape(skipped)}");
            }

            context.Console.MarkupLine($"{Markup.Escape(result.Message)}, {Durations.Format(result.Duration)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command RestoreFiles(CliContext context)
    {
        var (config, component) = (BackupContext.ConfigOption(), BackupContext.ComponentArgument());
        var to = new Option<string>("--to") { Description = "A NEW (or empty) directory; the backed-up paths are recreated beneath it (e.g. DIR/srv/uploads)", Required = true };
        var set = new Option<string?>("--set") { Description = "The file set (default: the newest)" };
        var command = new Command("restore-files", "Restore a file backup set into a new directory, never over the live files: every file checked against its checksum, modes, times and links as they were.") { component, to, set, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (target, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (target is null)
            {
                return exit;
            }

            var result = await new Runtime.Backups.FileRestore(target.Repository).RestoreAsync(new Runtime.Backups.FileRestoreRequest(parse.GetValue(to)!) { SetId = parse.GetValue(set) }, cancellationToken);
            if (!result.Succeeded)
            {
                return await BackupCommands.FailAsync(context, result.Message);
            }

            context.Console.MarkupLine($"{Markup.Escape(result.Message)} in {Durations.Format(result.Duration)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
