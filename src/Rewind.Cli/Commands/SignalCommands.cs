using System.CommandLine;
using System.Globalization;
using Rewind.Cli.Output;
using Spectre.Console;

namespace Rewind.Cli.Commands;

internal static class SignalCommands
{
    /// <summary><c>rewind signals COMPONENT</c>: the latest value of each numeric signal.</summary>
    public static Command CreateSignals(CliContext context)
    {
        var component = new Argument<string>("component") { Description = "The component" };
        var command = new Command("signals", "Show the latest value of each numeric signal of a component (queries, scrape rates and gauges); no data shows as such.") { component, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var signals = await client.GetSignalsAsync(parse.GetValue(component)!, cancellationToken);
            if (signals.Count == 0)
            {
                context.Console.MarkupLine("no signal values yet");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("SIGNAL", "VALUE", "AT", "NOTE");
            foreach (var signal in signals)
            {
                table.AddRow(
                    Markup.Escape(signal.Signal),
                    signal.Value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "[yellow]no data[/]",
                    Render.Time(signal.At),
                    Markup.Escape(signal.Error ?? ""));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary><c>rewind token push NAME</c>: a fresh push token, and the config line holding only its hash.</summary>
    public static Command CreatePushToken(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "A name for the token, e.g. the application that will push events" };
        var create = new Command("push", "Make a push token for POST /api/v1/signals (no server needed). The token is shown once; the config keeps only its SHA-256 hash.") { name };
        create.SetAction(parse =>
        {
            var token = Rewind.Core.Access.TokenSecret.New(Rewind.Core.Access.TokenSecret.PushPrefix);
            var hash = Rewind.Core.Access.TokenSecret.Hash(token);
            context.Console.MarkupLine($"token (shown once; give it to the application): [bold]{token}[/]");
            context.Console.MarkupLine("add to rewind.yaml, under server.push-tokens:");
            context.Console.WriteLine($"    {parse.GetValue(name)}: {hash}");
            return ExitCodes.Ok;
        });
        return create;
    }
}
