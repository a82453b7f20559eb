using System.CommandLine;
using Rewind.Client;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary>What a person does to an incident: acknowledge it, add notes, move its status forward, resolve it. WHO is the current user.</summary>
internal static class IncidentLifecycleCommands
{
    public static Command CreateAcknowledge(CliContext context)
    {
        var id = IdArgument();
        var command = new Command("ack", "Acknowledge an incident: someone is on it (recorded once, with who and when).") { id, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var incident = await client.AcknowledgeIncidentAsync(parse.GetValue(id)!, new AcknowledgeIncidentRequest(Environment.UserName), cancellationToken);
            context.Console.MarkupLine($"{incident.Id} acknowledged by {Markup.Escape(incident.AcknowledgedBy ?? "-")}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command CreateNote(CliContext context)
    {
        var id = IdArgument();
        var text = new Argument<string>("text") { Description = "The note, at most 4000 characters" };
        var command = new Command("note", "Add a note to an incident's timeline (also after it is resolved).") { id, text, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var incident = await client.AddIncidentNoteAsync(parse.GetValue(id)!, new IncidentNoteRequest(parse.GetValue(text)!, Environment.UserName), cancellationToken);
            context.Console.MarkupLine($"note added to {incident.Id}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command CreateStatus(CliContext context)
    {
        var id = IdArgument();
        var status = new Argument<string>("status") { Description = "mitigating or monitoring; statuses only move forward" };
        status.AcceptOnlyFromAmong("mitigating", "monitoring");
        var command = new Command("status", "Move an incident forward: investigating -> mitigating -> monitoring. Resolve it with 'incident resolve'.") { id, status, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var incident = await client.SetIncidentStatusAsync(parse.GetValue(id)!, new IncidentStatusRequest(parse.GetValue(status)!, Environment.UserName), cancellationToken);
            context.Console.MarkupLine($"{incident.Id} is {incident.Status}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command CreateResolve(CliContext context)
    {
        var id = IdArgument();
        var note = new Option<string>("--note") { Description = "Why the incident is over, for the record", Required = true };
        var falsePositive = new Option<bool>("--false-positive") { Description = "The incident was not a real problem (counted in the false-positive rate)" };
        var command = new Command("resolve", "Resolve an incident by hand, e.g. after a fix-forward or a failed rollback handled by people.") { id, note, falsePositive, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var request = new ResolveIncidentRequest(parse.GetValue(note)!, Environment.UserName, parse.GetValue(falsePositive));
            var incident = await client.ResolveIncidentAsync(parse.GetValue(id)!, request, cancellationToken);
            context.Console.MarkupLine($"{incident.Id} is {incident.Status}{(incident.FalsePositive ? " (false positive)" : "")}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static Argument<string> IdArgument() => new("id") { Description = "The incident ID, e.g. INC-2026-11-22-0001" };
}
