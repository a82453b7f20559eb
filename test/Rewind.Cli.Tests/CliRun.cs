using Spectre.Console;

namespace Rewind.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output, as a script would see it.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>The admin token of each live server, by URL: a run with <c>--server URL</c> gets it as REWIND_TOKEN.</summary>
    public static System.Collections.Concurrent.ConcurrentDictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(StringComparer.Ordinal), args);

    /// <summary>As <see cref="RunAsync(string[])"/>, with <paramref name="environment"/> set over the process's own variables.</summary>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
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
        var server = Array.IndexOf(args, "--server") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var token = server is not null && Tokens.TryGetValue(server, out var known) ? known : null;
        var exitCode = await CliApp.RunAsync(args, console, output, error, name => environment.TryGetValue(name, out var value) ? value : name == "REWIND_TOKEN" ? token : Environment.GetEnvironmentVariable(name));
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
