using System.Text.Json;

namespace Rewind.Bench.Deploys;

/// <summary>The benchmark's own look at a service's <c>/health</c>: which version answers, and whether it says ok.</summary>
internal static class ServiceHealth
{
    /// <summary>Long enough for an answer on an overloaded host; a connection the stopping release accepted is given up after it.</summary>
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

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
