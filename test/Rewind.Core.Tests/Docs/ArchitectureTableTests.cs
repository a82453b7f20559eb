using System.Xml.Linq;
using Rewind.TestUtils;

namespace Rewind.Core.Tests.Docs;

/// <summary>
/// The projects table of docs/architecture.md says what each project depends on; the project files say it too. This
/// keeps the two the same, in both directions.
/// </summary>
/// <remarks>
/// Every project file under <c>src/</c>, <c>samples/</c> and <c>bench/</c> has a row whose first cell is its directory
/// as code (<c>`src/Rewind.Core`</c>). Its "depends on" cell lists, separated by commas, exactly the project's
/// <c>ProjectReference</c>s (by project name, <c>Rewind.</c> left off: <c>Core</c>), <c>PackageReference</c>s and
/// <c>FrameworkReference</c>s (by id) written in that project file; text in parentheses after an item is a note, and
/// <c>–</c> means none. Analyzers added to every project by Directory.Build.props are not dependencies. Rows for
/// things that are not .NET projects (scripts, fakes) are not checked.
/// </remarks>
public sealed class ArchitectureTableTests
{
    private static readonly string[] ProductFolders = ["src", "samples", "bench"];

    [Fact]
    public void ProjectsTable_ListsExactlyTheReferencesOfEveryProjectFile()
    {
        var table = DocumentedDependencies();
        var differences = new List<string>();
        foreach (var (project, references) in ProjectFiles())
        {
            if (!table.TryGetValue(project, out var documented))
            {
                differences.Add($"{project}: no row (references: {string.Join(", ", references)})");
                continue;
            }

            differences.AddRange(references.Except(documented).Select(r => $"{project}: depends on {r}, not in the table"));
            differences.AddRange(documented.Except(references).Select(d => $"{project}: the table says {d}, not referenced by the project file"));
        }

        differences.ShouldBeEmpty("docs/architecture.md's projects table differs from the project files:\n" + string.Join("\n", differences) + "\n");
    }

    [Fact]
    public void ProjectFiles_ReadTheReferences_AsTheTableNamesThem()
    {
        var projects = ProjectFiles();

        projects["src/Rewind.Storage"].ShouldContain("Core");
        projects["src/Rewind.Storage"].ShouldContain("Npgsql");
        projects["src/Rewind.Server"].ShouldContain("Microsoft.AspNetCore.App");
        projects.ShouldContainKey("src/Rewind.Client");
    }

    [Fact]
    public void DocumentedDependencies_DropNotesAndReadADashAsNone()
    {
        var table = DocumentedDependencies();

        table["src/Rewind.Client"].ShouldBeEmpty();
        table["src/Rewind.Core"].ShouldContain("YamlDotNet");
        table["src/Rewind.Core"].ShouldAllBe(item => !item.Contains('(', StringComparison.Ordinal));
    }

    private static Dictionary<string, HashSet<string>> ProjectFiles()
    {
        var projects = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var folder in ProductFolders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.csproj", SearchOption.AllDirectories))
            {
                var directory = Path.GetRelativePath(Repository.Root, Path.GetDirectoryName(file)!).Replace('\\', '/');
                projects[directory] = References(file);
            }
        }

        return projects;
    }

    private static HashSet<string> References(string projectFile) =>
        XDocument.Load(projectFile).Descendants()
            .Where(e => e.Name.LocalName is "ProjectReference" or "PackageReference" or "FrameworkReference")
            .Select(e => (Kind: e.Name.LocalName, Include: e.Attribute("Include")?.Value ?? ""))
            .Select(r => r.Kind == "ProjectReference" ? ProjectName(r.Include) : r.Include)
            .ToHashSet(StringComparer.Ordinal);

    private static string ProjectName(string include)
    {
        var name = Path.GetFileNameWithoutExtension(include.Replace('\\', '/'));
        return name.StartsWith("Rewind.", StringComparison.Ordinal) ? name["Rewind.".Length..] : name;
    }

    private static Dictionary<string, HashSet<string>> DocumentedDependencies()
    {
        var architecture = MarkdownDocument.Load(Path.Combine(Repository.Root, "docs", "architecture.md"));
        var rows = MarkdownDocument.TableRows(architecture.Sections, "project", "holds", "depends on").ToList();
        rows.ShouldNotBeEmpty("docs/architecture.md has no table headed | project | holds | depends on |");
        return rows.ToDictionary(
            row => MarkdownDocument.CodeSpans(row[0]).FirstOrDefault()?.TrimEnd('/') ?? row[0],
            row => Items(row[2]),
            StringComparer.Ordinal);
    }

    /// <summary>The comma-separated items of a cell, each without its note in parentheses or code marks.</summary>
    private static HashSet<string> Items(string cell)
    {
        var items = new HashSet<string>(StringComparer.Ordinal);
        var item = new System.Text.StringBuilder();
        var depth = 0;
        foreach (var ch in cell + ",")
        {
            depth += ch switch { '(' => 1, ')' => -1, _ => 0 };
            if (ch == ',' && depth == 0)
            {
                var text = item.ToString().Replace("`", "", StringComparison.Ordinal).Trim();
                if (text is not ("" or "–" or "-"))
                {
                    items.Add(text);
                }

                item.Clear();
            }
            else if (depth == 0 && ch != ')')
            {
                item.Append(ch);
            }
        }

        return items;
    }
}
