using System.CommandLine;
using Rewind.Cli.Output;
using Rewind.Client;
using Spectre.Console;

namespace Rewind.Cli.Commands;

internal static class MaintenanceCommand
{
    public static Command Create(CliContext context)
    {
        var component = new Argument<string>("component") { Description = "The component under planned work" };
        var duration = new Option<string>("--for") { Description = "How long, e.g. 30m or 2h (at most 7d)", Required = true };
        var reason = new Option<string>("--reason") { Description = "What the work is, for the record", Required = true };
        var start = new Command("start", "Declare a maintenance window: signals are recorded, no policy acts, and failures inside it do not count afterwards.") { component, duration, reason, context.ServerOption };
        start.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var window = await client.StartMaintenanceAsync(parse.GetValue(component)!, new MaintenanceRequest(parse.GetValue(duration)!, parse.GetValue(reason)!, Environment.UserName), cancellationToken);
            context.Console.MarkupLine($"{Markup.Escape(window.Component)}: maintenance until {Render.Time(window.EndsAt)} ({Markup.Escape(window.Reason)})");
            return ExitCodes.Ok;
        }));
        var endComponent = new Argument<string>("component") { Description = "The component" };
        var end = new Command("end", "End the component's maintenance window now; policies act again.") { endComponent, context.ServerOption };
        end.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            await client.EndMaintenanceAsync(parse.GetValue(endComponent)!, cancellationToken);
            context.Console.MarkupLine($"{Markup.Escape(parse.GetValue(endComponent)!)}: maintenance ended");
            return ExitCodes.Ok;
        }));
        return new Command("maintenance", "Declare or end planned maintenance of a component.") { start, end };
    }
}
