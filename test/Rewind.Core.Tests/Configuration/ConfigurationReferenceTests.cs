using System.Reflection;
using Rewind.Core.Configuration;
using Rewind.Core.Tests.Docs;
using Rewind.TestUtils;

namespace Rewind.Core.Tests.Configuration;

/// <summary>
/// docs/configuration.md names every key, step kind and provider the config binder accepts. The lists come from the
/// config classes through the binder's own rule for YAML names, so a key added to the code and not to the reference
/// fails here.
/// </summary>
/// <remarks>
/// Where a key counts as documented: written as code (a code span, alone or as part of a dotted path such as
/// <c>verify.hold-for</c> or a <c>{ key-file: … }</c> example, or in a fenced YAML block) in the <c>##</c> section of its
/// top-level key: "Top level" for the top-level keys themselves, the section named after the top-level key for the keys
/// under it (<c>status-page</c> → "Status page", <c>approvals</c> → "Approvals: …"), "Top level" again for a top-level
/// key without a section of its own (<c>server</c>). A nested key is checked by its own name, not by its full path.
/// A step kind is a row of the plan-step table (<c>| kind | keys | …</c>); a provider has a <c>### Provider: `name`</c> heading.
/// </remarks>
public sealed class ConfigurationReferenceTests
{
    private const string TopLevel = "Top level";

    private static readonly MarkdownDocument Reference = MarkdownDocument.Load(Path.Combine(Repository.Root, "docs", "configuration.md"));

    [Fact]
    public void Reference_NamesEveryConfigKey_InTheSectionOfItsTopLevelKey()
    {
        var missing = new List<string>();
        var topLevelWords = CodeWordsOf(TopLevel);
        foreach (var top in KeysOf(typeof(RewindConfig)))
        {
            if (!topLevelWords.Contains(top.Key))
            {
                missing.Add($"{top.Key} (in \"{TopLevel}\")");
            }

            var section = SectionOf(top.Key);
            var words = CodeWordsOf(section);
            missing.AddRange(NestedKeys(top.Value, top.Key, [])
                .Where(nested => !words.Contains(nested.Key))
                .Select(nested => $"{nested.Path} (in \"{section}\")"));
        }

        missing.ShouldBeEmpty("docs/configuration.md does not document these keys:\n" + string.Join("\n", missing) + "\n");
    }

    [Fact]
    public void Reference_HasARowForEveryStepKind_InThePlanStepTable()
    {
        var documented = MarkdownDocument.TableRows(Reference.Sections, "kind", "keys")
            .Select(row => MarkdownDocument.CodeSpans(row[0]).First().Split(':')[0])
            .ToHashSet(StringComparer.Ordinal);

        var missing = StepKinds().Where(kind => !documented.Contains(kind)).ToList();

        missing.ShouldBeEmpty("docs/configuration.md has no row in the plan-step table (| kind | keys | …) for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Reference_HasASectionForEveryProvider()
    {
        var headings = Reference.Sections.Select(s => s.Heading).ToHashSet(StringComparer.Ordinal);

        var missing = KeysOf(typeof(ProviderConfig)).Keys.Where(provider => !headings.Contains($"Provider: `{provider}`")).ToList();

        missing.ShouldBeEmpty("docs/configuration.md has no \"### Provider: `name`\" section for: " + string.Join(", ", missing));
    }

    [Fact]
    public void KeysOf_FollowsTheBinder_SoTheListsAboveAreTheAcceptedOnes()
    {
        KeysOf(typeof(ProviderConfig)).Keys.ShouldBe(["release-dir", "command", "http", "files", "postgres"], ignoreOrder: true);
        StepKinds().ShouldContain("wait-healthy");
        StepKinds().ShouldNotContain("name");
        KeysOf(typeof(JsonFieldConfig)).Keys.ShouldBe(["path", "equals"], ignoreOrder: true);
    }

    /// <summary>The kinds a plan step may be: every key of a step except its label.</summary>
    private static List<string> StepKinds() => KeysOf(typeof(PlanStepConfig)).Keys.Where(k => k != "name").ToList();

    /// <summary>The keys the binder accepts on a config class, each with the type written under it.</summary>
    private static Dictionary<string, Type> KeysOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .ToDictionary(YamlBinder.KeyOf, p => p.PropertyType, StringComparer.Ordinal);

    private static IEnumerable<(string Key, string Path)> NestedKeys(Type type, string path, HashSet<Type> seen)
    {
        var (mapping, itemPath) = Unwrap(type, path);
        if (mapping is null || !seen.Add(mapping))
        {
            yield break;
        }

        foreach (var (key, keyType) in KeysOf(mapping))
        {
            var keyPath = $"{itemPath}.{key}";
            yield return (key, keyPath);
            foreach (var nested in NestedKeys(keyType, keyPath, seen))
            {
                yield return nested;
            }
        }
    }

    /// <summary>The config class a value of this type binds to, if any: through nullable, lists (<c>[]</c>) and maps of names (<c>*</c>).</summary>
    private static (Type? Mapping, string Path) Unwrap(Type type, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return Unwrap(type.GetGenericArguments()[0], path + "[]");
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return Unwrap(type.GetGenericArguments()[1], path + ".*");
        }

        return (type.IsClass && type != typeof(string) ? type : null, path);
    }

    [Fact]
    public void Reference_ListsEverySettingThatNeedsARestart_InItsTable()
    {
        var section = Reference.Sections.First(s => s.Level == 2 && s.Heading == "Settings that need a restart");
        var documented = MarkdownDocument.TableRows([section], "key", "why").Select(row => MarkdownDocument.CodeSpans(row[0]).First()).ToList();

        documented.ShouldBe(RestartSettings.Keys);
    }

    private static string SectionOf(string topLevelKey) =>
        Reference.Sections.FirstOrDefault(s => s.Level == 2
            && s.Heading.Split(':')[0].Equals(topLevelKey.Replace('-', ' '), StringComparison.OrdinalIgnoreCase))?.Heading ?? TopLevel;

    private static HashSet<string> CodeWordsOf(string heading)
    {
        var section = Reference.Sections.First(s => s.Level == 2 && s.Heading == heading);
        return MarkdownDocument.CodeWords(Reference.WithSubsections(section)).ToHashSet(StringComparer.Ordinal);
    }
}
