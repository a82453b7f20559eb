using System.Text.RegularExpressions;
using Rewind.TestUtils;

namespace Rewind.Core.Tests.Docs;

/// <summary>
/// The event tables of docs/operations.md ("Logs") list every <c>[LoggerMessage]</c> event id of the product, at its
/// level, and no id the code does not write. The ids come from the sources under <c>src/</c>, so an event added without
/// its row fails here.
/// </summary>
public sealed partial class LogEventsDocTests
{
    private static readonly Dictionary<string, string> DocLevels = new(StringComparer.Ordinal)
    {
        ["Trace"] = "trace",
        ["Debug"] = "debug",
        ["Information"] = "info",
        ["Warning"] = "warn",
        ["Error"] = "fail",
        ["Critical"] = "crit",
    };

    [Fact]
    public void OperationsGuide_ListsEveryLogEventOfTheCode_AtItsLevel()
    {
        var code = CodeEvents();
        var documented = DocumentedEvents();

        var differences = code.Where(e => !documented.ContainsKey(e.Key)).Select(e => $"{e.Key} ({e.Value}) is written by the code, not listed")
            .Concat(documented.Where(d => !code.ContainsKey(d.Key)).Select(d => $"{d.Key} is listed, not written by the code"))
            .Concat(code.Where(e => documented.TryGetValue(e.Key, out var level) && level != e.Value).Select(e => $"{e.Key} is {e.Value} in the code, {documented[e.Key]} in the guide"))
            .ToList();

        differences.ShouldBeEmpty("docs/operations.md's event tables differ from the code:\n" + string.Join("\n", differences) + "\n");
    }

    [Fact]
    public void CodeEvents_ReadBothAttributeForms()
    {
        var code = CodeEvents();

        code["1001"].ShouldBe("warn");
        code["3101"].ShouldBe("debug");
    }

    /// <summary>Event id → level as the log writes it (<c>info</c>, <c>warn</c>, …), from every <c>[LoggerMessage]</c> under src/.</summary>
    private static Dictionary<string, string> CodeEvents()
    {
        var events = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            var matches = LoggerMessagePattern().Matches(text);
            matches.Count.ShouldBe(Regex.Count(text, @"\[LoggerMessage\(", RegexOptions.None, TimeSpan.FromSeconds(1)), $"a [LoggerMessage] in {file} is not in the form this test reads (id, then level)");
            foreach (Match attribute in matches)
            {
                events.Add(attribute.Groups["id"].Value, DocLevels[attribute.Groups["level"].Value]);
            }
        }

        return events;
    }

    /// <summary>Event id → level from the tables of the guide's "Logs" section (the controller's, and the runtime's with a category column).</summary>
    private static Dictionary<string, string> DocumentedEvents()
    {
        var guide = MarkdownDocument.Load(Path.Combine(Repository.Root, "docs", "operations.md"));
        var logs = guide.WithSubsections(guide.Sections.First(s => s is { Level: 2, Heading: "Logs" })).ToList();
        return MarkdownDocument.TableRows(logs, "id", "level").Select(row => (Id: row[0], Level: row[1]))
            .Concat(MarkdownDocument.TableRows(logs, "category", "id", "level").Select(row => (Id: row[1], Level: row[2])))
            .ToDictionary(e => e.Id, e => e.Level, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\[LoggerMessage\((?:EventId\s*=\s*)?(?<id>\d+),\s*(?:Level\s*=\s*)?LogLevel\.(?<level>\w+)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LoggerMessagePattern();
}
