using System.Globalization;

namespace Rewind.Core.Incidents;

/// <summary>Human-readable IDs that sort by day: <c>INC-2025-09-27-0001</c>, <c>RB-2025-09-27-0001</c>.</summary>
public static class DailyId
{
    public const string IncidentPrefix = "INC";
    public const string RollbackPrefix = "RB";

    public static string Format(string prefix, DateOnly day, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{day:yyyy-MM-dd}-{number:0000}");

    public static string DayKey(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
