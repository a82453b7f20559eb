using System.CommandLine;
using Rewind.Cli.Commands;

namespace Rewind.Cli.Demo;

internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var keep = new Option<bool>("--keep") { Description = "Leave the server and the service running at the end and print their URLs (Ctrl+C stops them)" };
        var command = new Command("demo", "Run the whole story on loopback: a healthy v1 becomes last known good, a broken v2 is deployed, detected and rolled back automatically. Exits 0 only if the service ends healthy on v1.") { keep };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var story = new DemoStory(context.Console, context.Error, parse.GetValue(keep));
            return await story.RunAsync(cancellationToken);
        });
        return command;
    }
}
