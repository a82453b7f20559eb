namespace Rewind.Storage.Sql;

/// <summary>How domain values are written to columns: times as UTC unix milliseconds, enums as lowercase text.</summary>
internal static class DbValues
{
    public static long ToMs(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static long? ToMs(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? FromMs(long? ms) => ms is { } value ? FromMs(value) : null;

    public static string Text<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    public static TEnum Parse<TEnum>(string text)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidOperationException($"stored value '{text}' is not a {typeof(TEnum).Name}");
}
