using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SampleService.Faults;

/// <summary>
/// Graded faults as <c>release.json</c> and <c>POST /admin/fault</c> give them: every field is optional, and a missing
/// field leaves the current value alone.
/// </summary>
internal sealed record FaultUpdate(double? ErrorFraction, int? AddedLatencyMs, double? MemoryGrowthMbPerMinute)
{
    public const int MaxAddedLatencyMs = 60_000;
    public const double MaxMemoryGrowthMbPerMinute = 256;

    /// <summary>The admin body must not carry fields the service would silently ignore, such as a misspelt one.</summary>
    public static JsonSerializerOptions StrictJson { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static JsonSerializerOptions ReleaseJson { get; } = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.Strict };

    /// <summary>Every out-of-range field, keyed by its JSON name, so one answer names all of them.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (ErrorFraction is { } fraction && !(fraction >= 0 && fraction <= 1))
        {
            errors["errorFraction"] = [Invariant($"must be within 0..1, was {fraction}")];
        }

        if (AddedLatencyMs is { } latency && latency is < 0 or > MaxAddedLatencyMs)
        {
            errors["addedLatencyMs"] = [Invariant($"must be within 0..{MaxAddedLatencyMs}, was {latency}")];
        }

        if (MemoryGrowthMbPerMinute is { } growth && !(growth >= 0 && growth <= MaxMemoryGrowthMbPerMinute))
        {
            errors["memoryGrowthMbPerMinute"] = [Invariant($"must be within 0..{MaxMemoryGrowthMbPerMinute}, was {growth}")];
        }

        return errors;
    }

    public FaultSettings ApplyTo(FaultSettings current) => new(
        ErrorFraction ?? current.ErrorFraction,
        AddedLatencyMs ?? current.AddedLatencyMs,
        MemoryGrowthMbPerMinute ?? current.MemoryGrowthMbPerMinute);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
