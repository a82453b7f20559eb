using System.Text.Json;
using SampleService.Faults;

namespace SampleService;

/// <summary>
/// What a release directory says about itself in <c>release.json</c>; a missing file means a healthy "dev" build.
/// Besides <c>fault: broken</c>, the optional <c>errorFraction</c>, <c>addedLatencyMs</c> and
/// <c>memoryGrowthMbPerMinute</c> give graded faults, which <c>POST /admin/fault</c> can change at runtime.
/// </summary>
internal sealed record ReleaseInfo(string Version, string Fault, int StartupDelayMs, FaultUpdate Faults)
{
    public bool IsBroken => string.Equals(Fault, "broken", StringComparison.Ordinal);

    public static ReleaseInfo Load(string directory)
    {
        var path = Path.Combine(directory, "release.json");
        if (!File.Exists(path))
        {
            return new ReleaseInfo("dev", "none", 0, new FaultUpdate(null, null, null));
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var faults = root.Deserialize<FaultUpdate>(FaultUpdate.ReleaseJson) ?? new FaultUpdate(null, null, null);
        var errors = faults.Validate();
        if (errors.Count > 0)
        {
            var reasons = errors.Select(error => $"{error.Key} {string.Join("; ", error.Value)}");
            throw new InvalidOperationException($"{path}: {string.Join(", ", reasons)}");
        }

        return new ReleaseInfo(
            root.TryGetProperty("version", out var version) ? version.GetString() ?? "unknown" : "unknown",
            root.TryGetProperty("fault", out var fault) ? fault.GetString() ?? "none" : "none",
            root.TryGetProperty("startupDelayMs", out var delay) ? delay.GetInt32() : 0,
            faults);
    }
}
