using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Rewind.Core.Configuration;

/// <summary>
/// A PostgreSQL location as operators write it in <c>rewind.yaml</c>: <c>postgres://user:password@host:port/database?option=value</c>
/// (also <c>postgresql://</c>). One parser serves the store and postgres probes, so both accept exactly the same form.
/// </summary>
/// <remarks>
/// User, password and database are URL-decoded; the port defaults to 5432; query options are passed to the driver as
/// connection-string keywords (<c>sslmode=require</c>). <see cref="ToString"/> never shows the password.
/// </remarks>
public sealed class PostgresUrl
{
    public const int DefaultPort = 5432;

    private PostgresUrl(string host, int port, string? username, string? password, string database, IReadOnlyList<KeyValuePair<string, string>> options)
    {
        Host = host;
        Port = port;
        Username = username;
        Password = password;
        Database = database;
        Options = options;
    }

    public string Host { get; }

    public int Port { get; }

    public string? Username { get; }

    public string? Password { get; }

    /// <summary>Empty when the URL names none; the driver then uses the user's name.</summary>
    public string Database { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Options { get; }

    /// <summary>True when the text starts with <c>postgres://</c> or <c>postgresql://</c>; says nothing about the rest.</summary>
    public static bool HasScheme([NotNullWhen(true)] string? text) =>
        text is not null
        && (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase));

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out PostgresUrl? url)
    {
        url = null;
        if (!HasScheme(text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        string? username = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var options = new List<KeyValuePair<string, string>>();
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            options.Add(new(key, equals < 0 ? "true" : Uri.UnescapeDataString(pair[(equals + 1)..])));
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port;
        url = new PostgresUrl(uri.IdnHost, port, username, password, Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')), options);
        return true;
    }

    /// <exception cref="ArgumentException">The text is not a postgres:// URL with a host; the message never repeats the text.</exception>
    public static PostgresUrl Parse(string text) =>
        TryParse(text, out var url) ? url : throw new ArgumentException("expected postgres://user:password@host:port/database", nameof(text));

    /// <summary>
    /// Writes the location into a driver's connection-string builder (Npgsql's, so that it checks the option names) and
    /// returns it, for the caller to add its own settings.
    /// </summary>
    /// <exception cref="FormatException">The builder does not accept an option (an unknown keyword or a bad value); the value is not repeated.</exception>
    public TBuilder WriteTo<TBuilder>(TBuilder builder)
        where TBuilder : DbConnectionStringBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder["Host"] = Host;
        builder["Port"] = Port;
        if (Username is not null)
        {
            builder["Username"] = Username;
        }

        if (Password is not null)
        {
            builder["Password"] = Password;
        }

        if (Database.Length > 0)
        {
            builder["Database"] = Database;
        }

        foreach (var (key, value) in Options)
        {
            try
            {
                builder[key] = value;
            }
            catch (ArgumentException e)
            {
                // The value is not repeated: it may be a secret.
                var reason = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"URL option '{key}' is not accepted by the PostgreSQL driver: {reason}"), e);
            }
        }

        return builder;
    }

    /// <summary>The URL with the password replaced by <c>***</c>: safe for logs, descriptions and timelines.</summary>
    public override string ToString()
    {
        var user = Username is null ? "" : Uri.EscapeDataString(Username) + (Password is null ? "" : ":***") + "@";
        var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        var query = Options.Count == 0 ? "" : "?" + string.Join("&", Options.Select(o => Uri.EscapeDataString(o.Key) + "=" + (IsSecret(o.Key) ? "***" : Uri.EscapeDataString(o.Value))));
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{user}{host}:{Port}/{Uri.EscapeDataString(Database)}{query}");
    }

    private static bool IsSecret(string option) =>
        option.Contains("password", StringComparison.OrdinalIgnoreCase) || option.Contains("passfile", StringComparison.OrdinalIgnoreCase);
}
