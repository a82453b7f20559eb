using System.Globalization;
using System.Text.Json;
using Rewind.Core.Configuration;

namespace Rewind.Runtime.Signals;

/// <summary>Checks one field of a JSON body, found by a dotted path (<c>checks.db</c>, <c>items.0.state</c>), as text.</summary>
internal static class JsonFieldCheck
{
    /// <summary>The reason the body fails the check, or <see langword="null"/> when the field has the expected value.</summary>
    public static string? Check(ReadOnlyMemory<byte> body, JsonFieldConfig field)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return "body is not JSON";
        }

        using (document)
        {
            var element = document.RootElement;
            foreach (var segment in field.Path.Split('.'))
            {
                if (!TryStep(element, segment, out element))
                {
                    return $"json field {field.Path} is missing";
                }
            }

            var actual = AsText(element);
            return string.Equals(actual, field.Expected, StringComparison.Ordinal)
                ? null
                : $"json field {field.Path} is '{actual}', expected '{field.Expected}'";
        }
    }

    /// <summary>The field at the dotted path as text, or null when the body is not JSON or has no such field.</summary>
    public static string? Read(ReadOnlyMemory<byte> body, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var element = document.RootElement;
            foreach (var segment in path.Split('.'))
            {
                if (!TryStep(element, segment, out element))
                {
                    return null;
                }
            }

            return AsText(element);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryStep(JsonElement element, string segment, out JsonElement next)
    {
        next = default;
        return element.ValueKind switch
        {
            JsonValueKind.Object => element.TryGetProperty(segment, out next),
            JsonValueKind.Array => int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < element.GetArrayLength()
                && (next = element[index]).ValueKind != JsonValueKind.Undefined,
            _ => false,
        };
    }

    private static string AsText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString() ?? "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => element.GetRawText(),
    };
}
