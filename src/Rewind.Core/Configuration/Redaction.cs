namespace Rewind.Core.Configuration;

/// <summary>Removes secrets from what Rewind shows: dry runs, step descriptions, timelines and logs.</summary>
public static class Redaction
{
    /// <summary>
    /// The URL with any password replaced by <c>***</c>: <c>https://ops:***@host/health</c>, or a postgres:// URL as
    /// <see cref="PostgresUrl.ToString"/> writes it. A text that does not parse but holds user information is withheld whole.
    /// </summary>
    public static string Url(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (PostgresUrl.TryParse(url, out var postgres))
        {
            return postgres.ToString();
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return url.Contains('@', StringComparison.Ordinal) ? "(a URL that does not parse)" : url;
        }

        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? url : new UriBuilder(uri) { Password = "***" }.Uri.ToString();
    }
}
