using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

/// <summary>Every YAML syntax error and every dangerous alias is one error with a position, never an exception.</summary>
public sealed class YamlScanTests
{
    [Fact]
    public void Parse_UnclosedFlowMappingAtTheEnd_IsASyntaxError()
    {
        var error = ParseOne("components: {web: {provider: x}\n");

        error.ToString().ShouldBe("bad.yaml:2:1: YAML syntax: While parsing a flow mapping, did not find expected ',' or '}'.");
    }

    [Fact]
    public void Parse_UnclosedFlowMappingBeforeABlockKey_NamesTheOpenBrace()
    {
        // YamlDotNet's scanner throws InvalidOperationException here rather than a YamlException.
        const string text = """
            components:
              web: {provider: {release-dir: {path: /x}
              probes: {}
            """;

        var error = ParseOne(text);

        error.ToString().ShouldBe("bad.yaml:3:3: YAML syntax: cannot read past this point, inside the '{' opened at 2:19; is its '}' missing?");
    }

    [Fact]
    public void Parse_TabAsIndentation_IsASyntaxError()
    {
        var error = ParseOne("components:\n\tweb: {}\n");

        error.ToString().ShouldBe("bad.yaml:1:1: YAML syntax: While scanning a mapping, found invalid tab as indentation.");
    }

    [Fact]
    public void Parse_UnclosedQuote_IsASyntaxError()
    {
        var error = ParseOne("store: \"sqlite:x\ncomponents: {}\n");

        error.ToString().ShouldStartWith("bad.yaml:1:8: YAML syntax: ");
    }

    [Fact]
    public void Parse_AliasSharingABlock_BindsBothPlaces()
    {
        const string text = """
            components:
              web:
                provider: { release-dir: { path: /srv/web } }
                probes: &probes
                  health: { http: { url: "http://127.0.0.1:8080/health" } }
              api:
                provider: { release-dir: { path: /srv/api } }
                probes: *probes
            """;

        var result = ConfigParser.Parse(text, "bad.yaml", "/");

        result.Errors.ShouldBeEmpty();
        result.Config!.Components["api"].Probes["health"].Http!.Url.ShouldBe("http://127.0.0.1:8080/health");
    }

    [Fact]
    public void Parse_AliasInsideTheNodeItNames_IsAnErrorNotARecursion()
    {
        const string text = """
            components:
              web:
                provider: { release-dir: { path: /srv/web } }
                plan: &plan
                  - parallel: *plan
            """;

        var error = ParseOne(text);

        error.ToString().ShouldBe("bad.yaml:5:19: alias *plan is inside the node it names; a config cannot contain itself");
    }

    [Fact]
    public void Parse_BillionLaughs_StopsAtTheAliasLimit()
    {
        var lines = new List<string> { "components:", "  web:", "    plan:", "      - &a0 { command: { argv: [\"true\"] } }" };
        for (var level = 1; level < 10; level++)
        {
            lines.Add($"      - &a{level} {{ parallel: [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 10))}] }}");
        }

        var error = ParseOne(string.Join('\n', lines));

        error.ToString().ShouldBe("bad.yaml:9:26: aliases expand the config past the 100,000-node limit");
    }

    [Fact]
    public void Parse_AliasThatNestsPastTheLimit_IsTooDeep()
    {
        var error = ParseOne("a: &d " + new string('[', 40) + new string(']', 40) + "\nb: " + new string('[', 30) + "*d" + new string(']', 30) + "\n");

        error.ToString().ShouldBe("bad.yaml:2:34: config nests deeper than the 64-level limit");
    }

    [Fact]
    public void Parse_AliasBeforeItsAnchor_IsASyntaxError()
    {
        var error = ParseOne("a: *x\nb: &x 1\n");

        error.ToString().ShouldBe("bad.yaml:1:4: YAML syntax: alias *x comes before any anchor &x");
    }

    [Fact]
    public void Parse_ListAsAKey_IsAnError()
    {
        // A recursive key would overflow the stack in YamlDotNet's key hashing.
        var error = ParseOne("? &k [*k]\n: v\n");

        error.ToString().ShouldBe("bad.yaml:1:3: a key must be a name, not a mapping or a list");
    }

    [Fact]
    public void Parse_AliasOfAListAsAKey_IsAnError()
    {
        var error = ParseOne("a: &k [x]\n? *k\n: v\n");

        error.ToString().ShouldBe("bad.yaml:2:3: a key must be a name, not a mapping or a list");
    }

    private static ConfigError ParseOne(string text) =>
        ConfigParser.Parse(text, "bad.yaml", "/").Errors.ShouldHaveSingleItem();
}
