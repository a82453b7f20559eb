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
        return await RunAsync(environment, output, output.ToString, args);
    }

    /// <summary>Starts a run that goes on (following a rollback), with what it has printed so far readable meanwhile.</summary>
    public static (Task<CliRun> Run, Func<string> SoFar) Start(params string[] args)
    {
        var written = new StringWriter();
        var shared = TextWriter.Synchronized(written); // locks itself for each write
        string SoFar()
        {
            lock (shared)
            {
                return written.ToString();
            }
        }

        return (RunAsync(new Dictionary<string, string>(StringComparer.Ordinal), shared, SoFar, args), SoFar);
    }

    private static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, TextWriter output, Func<string> read, string[] args)
    {
        using var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = CliApp.Unwrapped; // as redirected output is: never wrapped
        var server = Array.IndexOf(args, "--server") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var token = server is not null && Tokens.TryGetValue(server, out var known) ? known : null;
        var exitCode = await CliApp.RunAsync(args, console, output, error, name => environment.TryGetValue(name, out var value) ? value : name == "REWIND_TOKEN" ? token : Environment.GetEnvironmentVariable(name));
        return new CliRun(exitCode, read(), error.ToString());
    }
}
