using Spectre.Console;

namespace Rewind.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output, as a script would see it.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        var exitCode = await CliApp.RunAsync(args, console, output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
