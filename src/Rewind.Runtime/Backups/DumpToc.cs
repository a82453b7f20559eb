namespace Rewind.Runtime.Backups;

/// <summary>
/// Reads <c>pg_restore -l</c>'s table of contents: lines such as <c>215; 1259 16390 TABLE public orders postgres</c>
/// (id; table oid, oid, kind, schema, name, owner). Comment lines start with ';'.
/// </summary>
internal static class DumpToc
{
    /// <summary>Every table entry as (schema, name); "TABLE DATA" entries have one more word and are left out.</summary>
    public static IReadOnlyList<(string Schema, string Name)> Tables(IEnumerable<string> lines) =>
        [.. lines.Where(line => !line.StartsWith(';') && line.Contains("; ", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf("; ", StringComparison.Ordinal) + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length is 5 or 6 && words[2] == "TABLE")
            .Select(words => (words[3], words[4]))];
}
