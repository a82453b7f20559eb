using Rewind.Core.Notifications;

namespace Rewind.Core.Tests.Notifications;

public sealed class OutsideTextTests
{
    [Fact]
    public void Excerpt_TenThousandCharacterBody_KeepsTheFirst300AndCountsTheRest()
    {
        var body = string.Concat(Enumerable.Repeat("0123456789", 1000));

        var excerpt = OutsideText.Excerpt(body, out var omitted);

        excerpt.ShouldBe(body[..300]);
        omitted.ShouldBe(9_700);
    }

    [Fact]
    public void Excerpt_CutFallsInsideASurrogatePair_LeavesThePairOut()
    {
        var value = new string('a', 299) + "😀b";

        var excerpt = OutsideText.Excerpt(value, out var omitted);

        excerpt.ShouldBe(new string('a', 299));
        omitted.ShouldBe(3);
    }

    [Theory]
    [InlineData("line1\n[P1] ESCALATION forged", @"line1\n[P1] ESCALATION forged")]
    [InlineData("a\r\nb\tc", @"a\r\nb\tc")]
    [InlineData("\u001b[31mred\u0007", @"\u001B[31mred\u0007")]
    [InlineData("next\u2028line\u2029para\u0085nel", @"next\u2028line\u2029para\u0085nel")]
    [InlineData("txt.exe\u202Egpj", @"txt.exe\u202Egpj")]
    [InlineData("zero\u200Bwidth", @"zero\u200Bwidth")]
    [InlineData(@"C:\temp\n", @"C:\\temp\\n")]
    [InlineData("café 😀 ok", "café 😀 ok")]
    public void OneLine_Value_EveryBreakAndInvisibleCharacterIsShownAsAnEscape(string value, string expected)
    {
        OutsideText.OneLine(value).ShouldBe(expected);
    }

    [Fact]
    public void OneLine_LoneSurrogate_IsShownAsAnEscape()
    {
        OutsideText.OneLine("a\uD83Db").ShouldBe(@"a\uD83Db");
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "… (1 more character)")]
    [InlineData(9_700, "… (9,700 more characters)")]
    public void Omission_Count_SaysHowManyWereLeftOff(int omitted, string expected)
    {
        OutsideText.Omission(omitted).ShouldBe(expected);
    }

    [Theory]
    [InlineData("v2.4.1", true)]
    [InlineData("2026.03.14-rc1+build.7", true)]
    [InlineData("alice", true)]
    [InlineData("policy:health-down", true)]
    [InlineData("", false)]
    [InlineData("web down", false)]
    [InlineData("<!channel>", false)]
    [InlineData("@here", false)]
    [InlineData("`x`", false)]
    [InlineData("*bold*", false)]
    [InlineData("http://evil.example", false)]
    [InlineData("v2\n", false)]
    [InlineData("rélease", false)]
    public void IsPlainWord_Value_OnlyShortAsciiWordsOfSafeCharacters(string value, bool expected)
    {
        OutsideText.IsPlainWord(value).ShouldBe(expected);
    }

    [Fact]
    public void IsPlainWord_LongerThan64_IsNot()
    {
        OutsideText.IsPlainWord(new string('a', 64)).ShouldBeTrue();
        OutsideText.IsPlainWord(new string('a', 65)).ShouldBeFalse();
    }

    [Fact]
    public void Capped_LongMultiLineValue_IsOneLineExcerptAndOmissionWithoutQuotes()
    {
        var value = "line1\n[P1] ESCALATION forged " + new string('x', 9_971);

        var capped = OutsideText.Capped(value)!;

        capped.ShouldStartWith(@"line1\n[P1] ESCALATION forged xxx");
        capped.ShouldEndWith("x… (9,700 more characters)");
        capped.ShouldNotContain("\n");
        OutsideText.Capped(null).ShouldBeNull();
    }
}
