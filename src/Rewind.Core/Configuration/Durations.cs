using System.Globalization;
using System.Text.RegularExpressions;

namespace Rewind.Core.Configuration;

/// <summary>Durations as operators write them: <c>500ms</c>, <c>3s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>, or combined (<c>1m30s</c>).</summary>
public static partial class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var matches = Part().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)).Length != text.Trim().Length)
        {
            return false;
        }

        foreach (Match match in matches)
        {
            var number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            value += match.Groups["u"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => TimeSpan.FromDays(number),
            };
        }

        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value.TotalMilliseconds < 1000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0}ms");
        }

        if (value.TotalSeconds < 60)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###}s");
        }

        return value.TotalMinutes < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)value.TotalMinutes}m{(value.Seconds > 0 ? value.Seconds + "s" : "")}")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)value.TotalHours}h{(value.Minutes > 0 ? value.Minutes + "m" : "")}");
    }

    [GeneratedRegex(@"(?<n>\d+(?:\.\d+)?)(?<u>ms|s|m|h|d)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Part();
}
