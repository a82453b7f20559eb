namespace Rewind.Cli.Commands;

/// <summary>
/// The server a command talks to, from <c>--server</c>, else <c>REWIND_SERVER</c>, else the default: a URL, or
/// <c>HOST:PORT</c> for plain http. A value that is neither is refused naming where it came from.
/// </summary>
internal sealed record ServerAddress(string Text, Uri BaseAddress)
{
    /// <summary>The address, or null with the message that says which value is wrong and where it was set.</summary>
    public static ServerAddress? Resolve(string? option, string? environment, out string? error)
    {
        var (value, source) = option is not null ? (option, "--server")
            : environment is { Length: > 0 } set ? (set, "REWIND_SERVER")
            : (Client.RewindClient.DefaultServer, "the default");
        var text = value.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text; // HOST:PORT: plain http, as documented
        }

        if (Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0)
        {
            error = null;
            return new ServerAddress(text, uri);
        }

        error = $"{source} '{value}' is not a server address: give http://HOST:PORT, https://HOST:PORT, or HOST:PORT for http";
        return null;
    }
}
