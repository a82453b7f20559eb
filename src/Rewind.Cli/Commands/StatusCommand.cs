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
            context.Console.Write(Render.Components(await client.GetComponentsAsync(cancellationToken)));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
