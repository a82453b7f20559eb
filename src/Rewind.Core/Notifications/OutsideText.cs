using System.Globalization;
using System.Text;

namespace Rewind.Core.Notifications;

/// <summary>
/// Text Rewind did not write: what the monitored system said (a health body quoted in evidence, a step's output, a
/// version it reports) and what people typed (reasons, notes, names). A message carries at most
/// <see cref="MaxLength"/> characters of it, on one line, so it can neither flood a channel nor forge lines that read
/// like Rewind's own (<c>[P1] … ESCALATION</c>).
/// </summary>
public static class OutsideText
{
    /// <summary>The most characters of one value a message shows: 300. The rest is counted, not shown.</summary>
    public const int MaxLength = 300;

    /// <summary>The longest value shown bare when it is one plain word (a version, a user name): 64.</summary>
    private const int MaxWordLength = 64;

    /// <summary>
    /// Whether <paramref name="value"/> is one short word of ASCII letters, digits and <c>. _ - + :</c> (<c>v2.4.1</c>,
    /// <c>alice</c>, <c>policy:health-down</c>): such a value means the same in every markup and needs no quotes.
    /// </summary>
    public static bool IsPlainWord(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length is > 0 and <= MaxWordLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or ':');
    }

    /// <summary>The first <see cref="MaxLength"/> characters (never half of a surrogate pair) and how many were left off.</summary>
    public static string Excerpt(string value, out int omitted)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Math.Min(value.Length, MaxLength);
        if (length < value.Length && char.IsHighSurrogate(value[length - 1]))
        {
            length--;
        }

        omitted = value.Length - length;
        return value[..length];
    }

    /// <summary>
    /// <paramref name="value"/> on one line, every character visible: a backslash as <c>\\</c>; line feed, carriage
    /// return and tab as <c>\n</c>, <c>\r</c>, <c>\t</c>; any other control, format (bidirectional overrides, zero-width
    /// characters), line or paragraph separator, or lone surrogate as <c>\uXXXX</c>.
    /// </summary>
    public static string OneLine(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsSurrogatePair(value, i))
            {
                builder.Append(c).Append(value[++i]);
                continue;
            }

            if (Escape(c) is { } escape)
            {
                builder.Append(escape);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary><c>… (9,700 more characters)</c> after an excerpt, or nothing when nothing was left off.</summary>
    public static string Omission(int omitted) =>
        omitted <= 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"… ({omitted:N0} more character{(omitted == 1 ? "" : "s")})");

    /// <summary>A field of the message document: the excerpt on one line and the omission, no quotes (the JSON string is the quote).</summary>
    public static string? Capped(string? value) =>
        value is null ? null : OneLine(Excerpt(value, out var omitted)) + Omission(omitted);

    private static string? Escape(char c) => c switch
    {
        '\\' => @"\\",
        '\n' => @"\n",
        '\r' => @"\r",
        '\t' => @"\t",
        _ when IsInvisible(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
        _ => null,
    };

    private static bool IsInvisible(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c)
            is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
