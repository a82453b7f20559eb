using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rewind.Engine.Hosting;

/// <summary>
/// A part of the config as text, to tell whether a reload changed it. Only ever compared, never shown or stored: it
/// may hold a store URL's password or a header's secret reference.
/// </summary>
internal static class ConfigFingerprint
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        IncludeFields = true, // value tuples name a section by their fields
    };

    public static string Of(object? value) => value is null ? "null" : JsonSerializer.Serialize(value, value.GetType(), Options);

    public static bool Same(object? a, object? b) => string.Equals(Of(a), Of(b), StringComparison.Ordinal);
}
