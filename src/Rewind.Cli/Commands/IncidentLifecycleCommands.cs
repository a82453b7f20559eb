using System.CommandLine;
using Rewind.Cli.Output;
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

    public static Command CreateEscalate(CliContext context)
    {
        var id = IdArgument();
        var reason = new Option<string>("--reason") { Description = "Why, for the people paged and the record", Required = true };
        var command = new Command("escalate", "Page the next escalation level now (or the last level again), without waiting for its time.") { id, reason, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var incident = await client.EscalateIncidentAsync(parse.GetValue(id)!, new EscalateIncidentRequest(parse.GetValue(reason)!), cancellationToken);
            context.Console.MarkupLine(incident.Escalation is { } e
                ? $"{incident.Id} escalated: level {e.Level} of {e.Levels} ({Markup.Escape(e.Contacts.Count == 0 ? "no contacts named" : string.Join(", ", e.Contacts))})"
                : $"{incident.Id} escalated to the channels taking escalations (no escalation policy covers it)");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>One line on where the incident stands in its escalation policy, or null when none covers it.</summary>
    public static string? DescribeEscalation(IncidentDto incident)
    {
        if (incident.Escalation is not { } e)
        {
            return null;
        }

        var reached = e.Level == 0 ? "no level reached yet" : $"level {e.Level} of {e.Levels} ({(e.Contacts.Count == 0 ? "no contacts named" : string.Join(", ", e.Contacts))})";
        var next = e.Next is { } n
            ? $"; next: level {n.Level}{(n.Contacts.Count == 0 ? "" : $" ({string.Join(", ", n.Contacts)})")} at {Render.Time(n.At)} if still {n.If}"
            : "";
        return $"escalation {e.Policy}: {reached}{next}";
    }

    public static Command CreateResolve(CliContext context)
    {
        var id = IdArgument();
        var note = new Option<string>("--note") { Description = "Why the incident is over, for the record", Required = true };
        var falsePositive = new Option<bool>("--false-positive") { Description = "The incident was not a real problem (counted in the false-positive rate); on an incident already resolved, marks it one afterwards" };
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
