using Rewind.Cli;
using SampleService;
using Spectre.Console;

// Hidden: the demo's sample service, served by a packaged rewind from a release directory (no dotnet on the host).
if (args is ["sample-service", var releaseDirectory, .. var serviceArgs])
{
    await SampleServiceApp.RunAsync(serviceArgs, Path.GetFullPath(releaseDirectory));
    return 0;
}

// Redirected output (logs, CI, pipes, files) gets plain text and whole lines, never wrapped; a terminal gets colour and its own width.
var redirected = Console.IsOutputRedirected;
var console = AnsiConsole.Create(new AnsiConsoleSettings
{
    Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
    ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
});
if (redirected)
{
    console.Profile.Width = CliApp.Unwrapped;
}

return await CliApp.RunAsync(args, console, Console.Out, Console.Error);
