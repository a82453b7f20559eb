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
        Description = "The Rewind server: http(s)://HOST:PORT, or HOST:PORT for http (default: $REWIND_SERVER, else http://127.0.0.1:7878)",
    };

    public Option<string?> CaOption { get; } = new("--ca")
    {
        HelpName = "file",
        Description = "PEM file of the CA that signed an https:// server's certificate: only it is trusted (default: $REWIND_CA, else the system's trust store)",
    };

    /// <summary>Runs an API call, turning problem details and connection failures into a message and an exit code.</summary>
    public async Task<int> CallAsync(ParseResult parse, Func<RewindClient, Task<int>> action)
    {
        if (ServerAddress.Resolve(parse.GetValue(ServerOption), _environment("REWIND_SERVER"), out var invalid) is not { } address)
        {
            await Error.WriteLineAsync($"error: {invalid}");
            return ExitCodes.Invalid;
        }

        var (server, baseAddress) = (address.Text, address.BaseAddress);

        if (await TrustAsync(parse, baseAddress) is not { } trust)
        {
            return ExitCodes.Invalid;
        }

        using var http = new HttpClient(trust.CreateHandler(server, baseAddress)) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
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
        catch (HttpRequestException) when (trust.Refusal is { } refusal)
        {
            await Error.WriteLineAsync($"error: {refusal}");
            return ExitCodes.Unreachable;
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

    /// <summary>The system's trust store, or the CA of --ca / REWIND_CA for an https:// server; null after saying why the file is unusable.</summary>
    private async Task<ServerTrust?> TrustAsync(ParseResult parse, Uri server)
    {
        var (file, source) = parse.GetValue(CaOption) is { Length: > 0 } option ? (option, "--ca")
            : _environment("REWIND_CA") is { Length: > 0 } variable ? (variable, "REWIND_CA")
            : (null, null);
        if (file is null || server.Scheme != Uri.UriSchemeHttps)
        {
            return ServerTrust.SystemStore();
        }

        var trust = ServerTrust.FromFile(file, source!, out var error);
        if (trust is null)
        {
            await Error.WriteLineAsync($"error: {error}");
        }

        return trust;
    }
}
