using System.Text.Json;

namespace SampleService;

/// <summary>What a release directory says about itself in <c>release.json</c>; a missing file means a healthy "dev" build.</summary>
internal sealed record ReleaseInfo(string Version, string Fault, int StartupDelayMs)
{
    public bool IsBroken => string.Equals(Fault, "broken", StringComparison.Ordinal);

    public static ReleaseInfo Load(string directory)
    {
        var path = Path.Combine(directory, "release.json");
        if (!File.Exists(path))
        {
            return new ReleaseInfo("dev", "none", 0);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        return new ReleaseInfo(
            root.TryGetProperty("version", out var version) ? version.GetString() ?? "unknown" : "unknown",
            root.TryGetProperty("fault", out var fault) ? fault.GetString() ?? "none" : "none",
            root.TryGetProperty("startupDelayMs", out var delay) ? delay.GetInt32() : 0);
    }
}
