using System.CommandLine;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary><c>rewind incident report ID</c>: the post-incident report, to standard output or a file.</summary>
internal static class IncidentReportCommand
{
    public static Command Create(CliContext context)
    {
        var id = IncidentLifecycleCommands.IdArgument();
        var format = new Option<string?>("--format") { Description = "md (Markdown) or html (a whole page). Default: html when -o ends in .html or .htm, else md" };
        format.AcceptOnlyFromAmong("md", "html");
        var file = new Option<FileInfo?>("--output", "-o") { Description = "Write the report to this file instead of standard output", HelpName = "file" };
        var command = new Command("report", "Write the post-incident report: summary, impact window, timings, evidence, probe signals, timeline, rollback steps, and sections to fill in.") { id, format, file, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var target = parse.GetValue(file);
            var chosen = parse.GetValue(format)
                ?? (target?.Extension.ToLowerInvariant() is ".html" or ".htm" ? "html" : "md");
            var report = await client.GetIncidentReportAsync(parse.GetValue(id)!, chosen, cancellationToken);
            if (target is null)
            {
                await context.Output.WriteAsync(report);
                return ExitCodes.Ok;
            }

            await File.WriteAllTextAsync(target.FullName, report, cancellationToken);
            context.Console.MarkupLine($"wrote {Markup.Escape(target.FullName)} ({chosen})");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
