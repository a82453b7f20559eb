using System.Globalization;

namespace Rewind.Core.Backups;

/// <summary>Set ids are UTC timestamps to the millisecond, so sorting ids sorts sets by age.</summary>
public static class BackupSetId
{
    private const string Format = "yyyyMMdd'T'HHmmssfff'Z'";

    public static string Create(DateTimeOffset at) => at.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static bool IsValid(string? id) =>
        id is { Length: 19 } && DateTime.TryParseExact(id, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
