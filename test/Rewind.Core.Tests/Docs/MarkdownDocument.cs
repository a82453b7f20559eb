using System.Text.RegularExpressions;

namespace Rewind.Core.Tests.Docs;

/// <summary>
/// Just enough Markdown for the docs tests: sections by heading, code spans and fenced blocks, tables. A <c>#</c> line
/// inside a fenced block (a YAML comment) is not a heading.
/// </summary>
internal sealed partial class MarkdownDocument
{
    private readonly List<Section> _sections;

    private MarkdownDocument(List<Section> sections) => _sections = sections;

    /// <summary>Every heading with the lines under it up to the next heading of any level; the text before the first heading has level 0.</summary>
    public IReadOnlyList<Section> Sections => _sections;

    public static MarkdownDocument Load(string path)
    {
        var sections = new List<Section>();
        var current = new Section(0, "", []);
        var inFence = false;
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                current.Lines.Add(new Line(line, IsCode: true));
                continue;
            }

            var heading = inFence ? null : HeadingPattern().Match(line);
            if (heading is { Success: true })
            {
                sections.Add(current);
                current = new Section(heading.Groups["marks"].Length, heading.Groups["text"].Value.Trim(), []);
                continue;
            }

            current.Lines.Add(new Line(line, inFence));
        }

        sections.Add(current);
        return new MarkdownDocument(sections);
    }

    /// <summary>A section with the sections nested under it (up to the next heading of its level or higher).</summary>
    public IEnumerable<Section> WithSubsections(Section section)
    {
        var index = _sections.IndexOf(section);
        yield return section;
        foreach (var next in _sections.Skip(index + 1))
        {
            if (next.Level <= section.Level)
            {
                yield break;
            }

            yield return next;
        }
    }

    /// <summary>The words (runs of letters, digits, <c>-</c> and <c>_</c>) written as code: in code spans, in fenced blocks, and in headings' code spans.</summary>
    public static IEnumerable<string> CodeWords(IEnumerable<Section> sections)
    {
        foreach (var section in sections)
        {
            foreach (var text in CodeSpans(section.Heading).Concat(section.Lines.SelectMany(l => l.IsCode ? [l.Text] : CodeSpans(l.Text).ToList())))
            {
                foreach (Match word in WordPattern().Matches(text))
                {
                    yield return word.Value;
                }
            }
        }
    }

    /// <summary>The rows of every table in the sections whose header row has these cells, as trimmed cells.</summary>
    public static IEnumerable<IReadOnlyList<string>> TableRows(IEnumerable<Section> sections, params string[] header)
    {
        foreach (var section in sections)
        {
            var inTable = false;
            foreach (var line in section.Lines.Where(l => !l.IsCode).Select(l => l.Text))
            {
                if (!line.StartsWith('|'))
                {
                    inTable = false;
                    continue;
                }

                var cells = Cells(line);
                if (!inTable)
                {
                    inTable = cells.Take(header.Length).SequenceEqual(header, StringComparer.Ordinal);
                    continue;
                }

                if (!cells.All(c => c.All(ch => ch is '-' or ':' or ' ')))
                {
                    yield return cells;
                }
            }
        }
    }

    public static IEnumerable<string> CodeSpans(string text) => CodeSpanPattern().Matches(text).Select(m => m.Groups["code"].Value);

    private static List<string> Cells(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var inCode = false;
        foreach (var ch in line.Trim().Trim('|'))
        {
            if (ch == '`')
            {
                inCode = !inCode;
            }

            if (ch == '|' && !inCode)
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
                continue;
            }

            cell.Append(ch);
        }

        cells.Add(cell.ToString().Trim());
        return cells;
    }

    [GeneratedRegex(@"^(?<marks>#{1,6})\s+(?<text>.*)$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HeadingPattern();

    [GeneratedRegex("`(?<code>[^`]+)`", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CodeSpanPattern();

    [GeneratedRegex("[A-Za-z0-9_-]+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WordPattern();

    internal sealed record Section(int Level, string Heading, List<Line> Lines);

    internal sealed record Line(string Text, bool IsCode);
}
