using System.CommandLine;
using Rewind.Cli.Output;
using Spectre.Console;

namespace Rewind.Cli.Commands;

internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("status", "Show the controller and every component: health, current release, last known good, open incident.") { context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var health = await client.GetHealthAsync(cancellationToken);
            context.Console.MarkupLine($"controller: [green]{Markup.Escape(health.Status)}[/] (store {Markup.Escape(health.Store)}, {health.StoreLatencyMs:0.0} ms; up since {Render.Time(health.StartedAt)})");
            if (health.Monitor.Overloaded)
            {
                context.Console.MarkupLine($"monitor: [yellow]overloaded[/]: {Markup.Escape(health.Monitor.Reason ?? "")}; automatic rollbacks on failures it can cause itself (timeouts…) are held");
            }

            var components = await client.GetComponentsAsync(cancellationToken);
            context.Console.Write(Render.Components(components));
            foreach (var component in components.Where(c => c.Evidence is not null))
            {
                context.Console.MarkupLine($"{Markup.Escape(component.Name)} {Markup.Escape(component.CurrentVersion ?? "")} {Markup.Escape(component.CurrentState ?? "")}: {Markup.Escape(component.Evidence!)}");
            }

            foreach (var component in components.Where(c => c.Backups is not null))
            {
                var runs = component.Backups!.Count == 0
                    ? "no scheduled run yet"
                    : string.Join("; ", component.Backups.Select(r => $"{r.Kind} {Render.Time(r.StartedAt)} {(r.Succeeded ? "[green]ok[/]" : "[red]FAILED[/]")}: {Markup.Escape(r.Summary)}"));
                context.Console.MarkupLine($"{Markup.Escape(component.Name)} backups: {runs}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
