using System.CommandLine;
using Rewind.Cli.Commands;
using Spectre.Console;

namespace Rewind.Cli.Demo;

internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var keep = new Option<bool>("--keep") { Description = "Leave the server and the service running at the end and print their URLs (Ctrl+C stops them)" };
        var command = new Command("demo", "Run the whole story on loopback: a healthy v1 becomes last known good, a broken v2 is deployed, detected and rolled back automatically. Exits 0 only if the service ends healthy on v1.") { keep };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var story = new DemoStory(Unwrapped(context), context.Error, parse.GetValue(keep));
            return await story.RunAsync(cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The console the story is told on: the same output and colours, but a line is never broken, on a terminal either
    /// (it wraps a long line for display only, without cutting a sentence in the text).
    /// </summary>
    private static IAnsiConsole Unwrapped(CliContext context)
    {
        var capabilities = context.Console.Profile.Capabilities;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = capabilities.Ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = (ColorSystemSupport)capabilities.ColorSystem,
            Out = new AnsiConsoleOutput(context.Output),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = CliApp.Unwrapped;
        return console;
    }
}
