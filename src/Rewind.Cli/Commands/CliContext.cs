using System.CommandLine;
using Rewind.Client;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary>What every command shares: where output goes, which server to talk to, and one way to report failures.</summary>
internal sealed class CliContext(IAnsiConsole console, TextWriter output, TextWriter error, Func<string, string?>? environment = null)
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    public IAnsiConsole Console { get; } = console;

    /// <summary>Standard output as raw text, for documents (reports) that must not be wrapped or styled.</summary>
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public Option<string?> ServerOption { get; } = new("--server")
    {
        Description = "URL of the Rewind server (default: $REWIND_SERVER or http://127.0.0.1:7878)",
    };

    /// <summary>Runs an API call, turning problem details and connection failures into a message and an exit code.</summary>
    public async Task<int> CallAsync(ParseResult parse, Func<RewindClient, Task<int>> action)
    {
        var server = parse.GetValue(ServerOption)
            ?? (_environment("REWIND_SERVER") is { Length: > 0 } fromEnvironment ? fromEnvironment : RewindClient.DefaultServer);
        if (!Uri.TryCreate(server.EndsWith('/') ? server : server + "/", UriKind.Absolute, out var baseAddress))
        {
            await Error.WriteLineAsync($"error: --server '{server}' is not a URL");
            return ExitCodes.Invalid;
        }

        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (_environment("REWIND_TOKEN") is { Length: > 0 } token)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Trim());
        }

        try
        {
            return await action(new RewindClient(http));
        }
        catch (RewindApiException ex)
        {
            await Error.WriteLineAsync($"error: {ex.Message}");
            if (ex.Status == 401)
            {
                await Error.WriteLineAsync(_environment("REWIND_TOKEN") is { Length: > 0 }
                    ? "the token in REWIND_TOKEN was refused; ask an admin for a new one (rewind token create USER)"
                    : "set REWIND_TOKEN to your API token (an admin makes one with rewind token create USER; the first with rewind access init)");
            }

            return ex.Status == 400 ? ExitCodes.Invalid : ExitCodes.Failed;
        }
        catch (HttpRequestException ex)
        {
            await Error.WriteLineAsync($"error: cannot reach the Rewind server at {server}: {ex.Message}");
            return ExitCodes.Unreachable;
        }
        catch (TaskCanceledException)
        {
            await Error.WriteLineAsync($"error: the Rewind server at {server} did not answer in time");
            return ExitCodes.Unreachable;
        }
    }
}
