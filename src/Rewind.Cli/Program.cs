using Rewind.Cli;
using Spectre.Console;

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
