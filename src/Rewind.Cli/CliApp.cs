using System.CommandLine;
using System.CommandLine.Help;
using Rewind.Cli.Commands;
using Rewind.Cli.Demo;
using Spectre.Console;

namespace Rewind.Cli;

/// <summary>The command tree of <c>rewind</c>. Output goes to the given console and writers so tests can read it.</summary>
internal static class CliApp
{
    /// <summary>A console width no line reaches: text written for a file or a pipe, or a story told line by line, is never hard-wrapped.</summary>
    public const int Unwrapped = 10_000;

    public static Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, console, output, error, Environment.GetEnvironmentVariable, cancellationToken);

    /// <summary>As the other overload, reading REWIND_SERVER and REWIND_TOKEN from <paramref name="environment"/>.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(console, output, error, environment);
        // A named root rather than RootCommand, so help says "rewind" however the binary is started (dotnet rewind.dll, tests).
        var root = new Command("rewind", "Rewind: detects a bad release, rolls every affected component back to its last known good, proves it worked, and keeps the record.")
        {
            new HelpOption(),
            new VersionOption(),
            ServeCommand.Create(context),
            StatusCommand.Create(context),
            ReleaseCommands.CreateRelease(context),
            ReleaseCommands.CreateReleases(context),
            RollbackCommand.Create(context),
            GroupRollbackCommand.Create(context),
            AbortCommand.Create(context),
            IncidentCommands.CreateIncidents(context),
            IncidentCommands.CreateIncident(context),
            IncidentCommands.CreateShadow(context),
            NotificationsCommand.Create(context),
            StatsCommand.Create(context),
            MaintenanceCommand.Create(context),
            DrillCommands.Create(context),
            SignalCommands.CreateSignals(context),
            AccessCommands.CreateToken(context),
            AccessCommands.CreateUser(context),
            AccessCommands.CreateAudit(context),
            AccessCommands.CreateAccess(context),
            ConfigCommand.Create(context),
            BackupCommands.Create(context),
            WalCommands.Create(context),
            AgentCommands.Create(context, environment),
            DemoCommand.Create(context),
        };
        foreach (var decision in ApprovalCommands.Create(context))
        {
            root.Add(decision);
        }

        AddCaOption(root, context);
        var parse = root.Parse(HelpWord(args));
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync("error: " + problem.Message);
            }

            await error.WriteLineAsync("run 'rewind --help' for usage");
            return ExitCodes.Invalid;
        }

        var invocation = new InvocationConfiguration { Output = output, Error = error };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary><c>rewind help [COMMAND…]</c> is <c>rewind [COMMAND…] --help</c>.</summary>
    private static string[] HelpWord(string[] args) => args is ["help", .. var command] ? [.. command, "--help"] : args;

    /// <summary>Every command that talks to a server (has --server) also takes --ca, the CA that server's certificate is checked against.</summary>
    private static void AddCaOption(Command command, CliContext context)
    {
        if (command.Options.Contains(context.ServerOption))
        {
            command.Options.Add(context.CaOption);
        }

        foreach (var subcommand in command.Subcommands)
        {
            AddCaOption(subcommand, context);
        }
    }
}
