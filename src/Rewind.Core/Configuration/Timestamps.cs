using System.Globalization;

namespace Rewind.Core.Configuration;

/// <summary>
/// The one way Rewind writes a point in time for people to read (messages, timelines, the CLI, reports): UTC, with
/// milliseconds, the trailing <c>Z</c> saying it is UTC: <c>2026-11-22 10:15:03.123Z</c>.
/// </summary>
public static class Timestamps
{
    public const string Pattern = "yyyy-MM-dd HH:mm:ss.fff'Z'";

    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>As <see cref="Format(DateTimeOffset)"/>; <c>-</c> for none.</summary>
    public static string Format(DateTimeOffset? at) => at is { } value ? Format(value) : "-";
}
