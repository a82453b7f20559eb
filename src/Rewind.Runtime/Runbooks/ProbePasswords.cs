using Rewind.Core.Configuration;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// The store keeps a planned probe's URL without its password (<c>postgres://app:***@db:5432/orders</c>). Before the
/// probe runs, the password is taken back from the config in force: from its probe of the same name whose URL, shown
/// without the password, is the same.
/// </summary>
internal static class ProbePasswords
{
    /// <summary>The planned probes with their passwords put back; the error names a postgres probe whose password cannot be.</summary>
    public static (IReadOnlyDictionary<string, ProbeConfig> Probes, string? Error) Restore(IReadOnlyDictionary<string, ProbeConfig> planned, IReadOnlyDictionary<string, ProbeConfig>? inForce)
    {
        var probes = new Dictionary<string, ProbeConfig>(StringComparer.Ordinal);
        foreach (var (name, probe) in planned)
        {
            var url = probe.Url();
            var configured = inForce?.GetValueOrDefault(name);
            if (url is not null && configured?.Url() is { } full && full != url && Redaction.Url(full) == url && (configured.Http is null) == (probe.Http is null))
            {
                probes[name] = probe.WithUrl(full);
            }
            else if (probe.Postgres is not null && Withheld(url!))
            {
                // An http probe runs with its URL as stored: the HTTP client never sends a URL's user information.
                return (probes, $"probe {name}: the store keeps {url} without its password, and the config in force has no probe {name} with that URL to take it from");
            }
            else
            {
                probes[name] = probe;
            }
        }

        return (probes, null);
    }

    private static bool Withheld(string url) =>
        PostgresUrl.TryParse(url, out var parsed) && (parsed.Password == "***" || parsed.Options.Any(o => o.Value == "***"));
}
