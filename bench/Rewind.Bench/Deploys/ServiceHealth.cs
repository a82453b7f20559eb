using System.Text.Json;

namespace Rewind.Bench.Deploys;

/// <summary>The benchmark's own look at a service's <c>/health</c>: which version answers, and whether it says ok.</summary>
internal static class ServiceHealth
{
    /// <summary>A short timeout, so a connection the stopping release accepted but never answers cannot delay the new one's timestamp.</summary>
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMilliseconds(500) };

    public static async Task<(string? Version, bool Ok)> ReadAsync(FleetMember member, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(member.Home, "health"), cancellationToken);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var version = body.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
            var ok = response.IsSuccessStatusCode && body.RootElement.TryGetProperty("status", out var s) && s.GetString() == "ok";
            return (version, ok);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (null, false);
        }
    }
}
