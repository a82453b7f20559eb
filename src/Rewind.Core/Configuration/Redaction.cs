namespace Rewind.Core.Configuration;

/// <summary>Removes secrets from what Rewind shows and keeps: dry runs, step descriptions, stored plans, timelines and logs.</summary>
public static class Redaction
{
    /// <summary>
    /// The URL with any password replaced by <c>***</c>: <c>https://ops:***@host/health</c>, the rest as written, or a
    /// postgres:// URL as <see cref="PostgresUrl.ToString"/> writes it. A text that does not parse but holds user
    /// information is withheld whole.
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

        if (!uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            return url;
        }

        // Only the password changes, so that a stored URL still asks for exactly what was planned.
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var end = start < 0 ? -1 : url.IndexOfAny(['/', '?', '#'], start + 3);
        var at = start < 0 ? -1 : url.LastIndexOf('@', (end < 0 ? url.Length : end) - 1);
        var colon = at <= start ? -1 : url.IndexOf(':', start + 3, at - start - 3);
        return colon < 0 ? new UriBuilder(uri) { Password = "***" }.Uri.ToString() : url[..(colon + 1)] + "***" + url[at..];
    }
}
