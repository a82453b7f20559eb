using System.CommandLine;
using Rewind.Cli.Output;
using Rewind.Client;
using Spectre.Console;

namespace Rewind.Cli.Commands;

internal static class IncidentCommands
{
    public static Command CreateIncidents(CliContext context)
    {
        var command = new Command("incidents", "List incidents, newest first.") { context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            context.Console.Write(Render.Incidents(await client.GetIncidentsAsync(cancellationToken)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command CreateShadow(CliContext context)
    {
        var component = new Option<string?>("--component") { Description = "Only this component" };
        var command = new Command("shadow", "List what shadow-mode policies would have done, and why, newest first.") { component, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var table = new Table().AddColumns("at", "component", "policy", "release", "would have", "evidence");
            foreach (var d in await client.GetShadowDecisionsAsync(parse.GetValue(component), cancellationToken))
            {
                table.AddRow(Render.Time(d.At), Markup.Escape(d.Component), Markup.Escape(d.Policy), Markup.Escape(d.Release ?? "-"), Markup.Escape(d.Action), Markup.Escape(d.Evidence));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command CreateIncident(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The incident ID, e.g. INC-2026-11-22-0001" };
        var show = new Command("show", "Show an incident: its timeline and the steps of its rollbacks.") { id, context.ServerOption };
        show.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var incident = await client.GetIncidentAsync(parse.GetValue(id)!, cancellationToken);
            context.Console.MarkupLine($"[bold]{incident.Id}[/] {incident.Severity} {incident.Status}: {Markup.Escape(incident.Title)}");
            context.Console.MarkupLine($"opened {Render.Time(incident.OpenedAt)}, resolved {Render.Time(incident.ResolvedAt)}{(incident.FalsePositive ? " (false positive)" : "")}");
            context.Console.MarkupLine(incident.AcknowledgedAt is null ? "not acknowledged" : $"acknowledged {Render.Time(incident.AcknowledgedAt)} by {Markup.Escape(incident.AcknowledgedBy ?? "-")}");
            if (IncidentLifecycleCommands.DescribeEscalation(incident) is { } escalation)
            {
                context.Console.MarkupLine(Markup.Escape(escalation));
            }

            context.Console.Write(Render.Timeline(incident.Timeline));
            foreach (var rollbackId in incident.Rollbacks)
            {
                var rollback = await client.GetRollbackAsync(rollbackId, cancellationToken);
                context.Console.MarkupLine($"[bold]{rollback.Id}[/] {Markup.Escape(rollback.FromVersion ?? "?")} -> {Markup.Escape(rollback.ToVersion)}: {rollback.Status}{(rollback.Error is null ? "" : " - " + Markup.Escape(rollback.Error))}");
                context.Console.Write(Render.Steps(rollback.Steps));
            }

            return ExitCodes.Ok;
        }));
        var command = new Command("incident", "Inspect, acknowledge, annotate, move forward, escalate, resolve or report on one incident.")
        {
            show,
            IncidentLifecycleCommands.CreateAcknowledge(context),
            IncidentLifecycleCommands.CreateNote(context),
            IncidentLifecycleCommands.CreateStatus(context),
            IncidentLifecycleCommands.CreateEscalate(context),
            IncidentLifecycleCommands.CreateResolve(context),
            IncidentReportCommand.Create(context),
        };
        return command;
    }
}
