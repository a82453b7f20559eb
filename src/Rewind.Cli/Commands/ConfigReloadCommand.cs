using System.CommandLine;
using Rewind.Cli.Output;
using Rewind.Client;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary><c>rewind config reload</c>: the controller reads its own config file again; what it applied, or why it refused.</summary>
internal static class ConfigReloadCommand
{
    public static Command Create(CliContext context)
    {
        var reload = new Command("reload", "Make the controller read its config file again (admin), as SIGHUP does: print what changed, the settings that need a restart, or every error with file:line:column (exit 2; the running config stays in force). With replicas, each reads its own file: ask each.") { context.ServerOption };
        reload.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var answer = await client.ReloadConfigAsync(cancellationToken);
            if (answer.Outcome == "refused")
            {
                foreach (var error in answer.Errors)
                {
                    await context.Error.WriteLineAsync(error.ToString());
                }

                await context.Error.WriteLineAsync($"config refused: {answer.Errors.Count} error(s); the running config (version {answer.Version}) stays in force");
                return ExitCodes.Invalid;
            }

            context.Console.MarkupLine(answer.Outcome == "applied"
                ? $"config version {answer.Version} in force: {answer.Changes.Count} change(s)"
                : $"nothing to apply: the running config (version {answer.Version}) matches the file");
            foreach (var change in answer.Changes)
            {
                context.Console.MarkupLine($"  {Markup.Escape(change)}");
            }

            WriteNeedsRestart(context, answer);
            return ExitCodes.Ok;
        }));
        return reload;
    }

    /// <summary>The config lines of <c>rewind status</c>: only when the last reload was refused or a restart is due.</summary>
    public static void WriteStatus(CliContext context, ConfigStatusDto? config)
    {
        if (config?.LastReload is not { } last)
        {
            return;
        }

        if (last.Outcome == "refused")
        {
            context.Console.MarkupLine($"config: [red]reload refused[/] {Render.Time(last.At)} (asked by {Markup.Escape(last.Actor)}); version {config.Version} stays in force:");
            foreach (var error in last.Errors)
            {
                context.Console.MarkupLine($"  {Markup.Escape(error.ToString())}");
            }
        }

        WriteNeedsRestart(context, last);
    }

    private static void WriteNeedsRestart(CliContext context, ConfigReloadDto answer)
    {
        if (answer.NeedsRestart.Count > 0)
        {
            context.Console.MarkupLine($"config: [yellow]needs a restart[/] to take effect (running values kept until then): {Markup.Escape(string.Join(", ", answer.NeedsRestart))}");
        }
    }
}
