using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

/// <summary>Files past the size and nesting limits are one error with a position, never a stack overflow.</summary>
public sealed class ConfigLimitsTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public void Parse_FiftyThousandNestedFlowLists_StopsAtTheSixtyFifthLevel()
    {
        var error = ParseOne(new string('[', 50_000));

        error.ToString().ShouldBe("deep.yaml:1:65: config nests deeper than the 64-level limit");
    }

    [Fact]
    public void Parse_FiftyThousandNestedFlowMappings_StopsAtTheSixtyFifthLevel()
    {
        var error = ParseOne(string.Concat(Enumerable.Repeat("{a: ", 50_000)));

        error.ToString().ShouldBe("deep.yaml:1:257: config nests deeper than the 64-level limit");
    }

    [Fact]
    public void Parse_TenThousandNestedBlockLists_StopsAtTheSixtyFifthLevel()
    {
        var error = ParseOne(string.Concat(Enumerable.Repeat("- ", 10_000)) + "x\n");

        error.ToString().ShouldBe("deep.yaml:1:129: config nests deeper than the 64-level limit");
    }

    [Fact]
    public void Parse_TwoThousandIndentedBlockMappings_StopsAtTheSixtyFifthLevel()
    {
        var error = ParseOne(string.Concat(Enumerable.Range(0, 2_000).Select(level => new string(' ', level) + "a:\n")));

        error.ToString().ShouldBe("deep.yaml:65:65: config nests deeper than the 64-level limit");
    }

    [Fact]
    public void Parse_SixtyFourLevels_IsWithinTheLimit()
    {
        var result = ConfigParser.Parse("components: " + new string('[', 63) + new string(']', 63), "deep.yaml", "/");

        result.Errors.ShouldHaveSingleItem().Message.ShouldBe("components: expected a mapping of names, found a list");
    }

    [Fact]
    public void Parse_SeventeenMiB_IsRefusedBeforeItIsRead()
    {
        var error = ParseOne(Comment(17 * MiB));

        error.ToString().ShouldBe("deep.yaml:1:1: config is 17 MiB, larger than the 16 MiB limit");
    }

    [Fact]
    public void Parse_OneByteOverTheLimit_SaysItIsOverSixteenMiB()
    {
        var error = ParseOne(Comment(ConfigLimits.MaxBytes + 1));

        error.ToString().ShouldBe("deep.yaml:1:1: config is 16.1 MiB, larger than the 16 MiB limit");
    }

    [Fact]
    public void Parse_ExactlySixteenMiB_IsRead()
    {
        var error = ParseOne(Comment(ConfigLimits.MaxBytes));

        error.ToString().ShouldBe("deep.yaml:1:1: the file is empty");
    }

    [Fact]
    public void Parse_SizeCountsUtf8Bytes_NotCharacters()
    {
        // 'é' is two bytes in UTF-8: this text is 9 MiB of characters and 18 MiB of bytes.
        var error = ParseOne("#" + new string('é', (9 * MiB) - 1) + "\n");

        error.Message.ShouldBe("config is 18 MiB, larger than the 16 MiB limit");
    }

    private static ConfigError ParseOne(string text) =>
        ConfigParser.Parse(text, "deep.yaml", "/").Errors.ShouldHaveSingleItem();

    /// <summary>A comment line of exactly <paramref name="bytes"/> bytes, newline included.</summary>
    private static string Comment(int bytes) => "#" + new string('x', bytes - 2) + "\n";
}
