using System.Text;

namespace Rewind.Core.Incidents;

/// <summary>
/// Text from the record (messages, outputs, names) written into Markdown as plain text: it can neither break a table
/// nor become a link, an image, emphasis or code. Line breaks become <c> ⏎ </c> so one entry stays on one line.
/// </summary>
internal static class MarkdownText
{
    // '<' is enough to stop raw HTML and autolinks; '>' only matters at the start of a line, where escaped text never is.
    private const string Special = "\\`*_[]<|~";

    public static string Escape(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "-";
        }

        var builder = new StringBuilder(text.Length + 8);
        var lines = text.Trim().ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(" ⏎ ");
            }

            foreach (var c in lines[i])
            {
                if (Special.Contains(c, StringComparison.Ordinal))
                {
                    builder.Append('\\');
                }

                builder.Append(char.IsControl(c) ? ' ' : c);
            }
        }

        return builder.ToString();
    }

    /// <summary>A pipe table; every cell is escaped here unless <paramref name="raw"/> says it is Markdown already.</summary>
    public static void Table(StringBuilder output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, bool raw = false)
    {
        output.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        output.Append('|').AppendJoin('|', headers.Select(_ => " --- ")).AppendLine("|");
        foreach (var row in rows)
        {
            output.Append("| ").AppendJoin(" | ", raw ? row : row.Select(Escape)).AppendLine(" |");
        }
    }
}
