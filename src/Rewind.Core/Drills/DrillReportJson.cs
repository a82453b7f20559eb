using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rewind.Core.Drills;

/// <summary>The drill report as it is stored and served: camelCase, enums as words, durations as <c>hh:mm:ss.fff</c>.</summary>
public static class DrillReportJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(DrillReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>The report, or null for text that is not one (a report written by a newer version is read as far as it goes).</summary>
    public static DrillReport? Deserialize(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<DrillReport>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
