using System.Text.Json;

namespace Rewind.Client;

/// <summary>The one set of JSON options both sides use: camelCase, web defaults.</summary>
public static class RewindJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = false };
}
