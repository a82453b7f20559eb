using Rewind.Core.Notifications;

namespace Rewind.Core.Tests.Notifications;

/// <summary>Text from outside Rewind in plain text (webhooks, commands, email): quoted, one line, capped.</summary>
public sealed class PlainTextMarkupTests
{
    private static readonly TextMarkup Plain = TextMarkup.Plain;

    [Theory]
    [InlineData("<!channel> look", "\"<!channel> look\"")]
    [InlineData("<http://evil.example/ack|Click here to acknowledge>", "\"<http://evil.example/ack|Click here to acknowledge>\"")]
    [InlineData("R&D <b>ops</b>", "\"R&D <b>ops</b>\"")]
    [InlineData("line1\n[P1] ESCALATION forged", "\"line1\\n[P1] ESCALATION forged\"")]
    [InlineData("Subject\r\nBcc: evil@example.org", "\"Subject\\r\\nBcc: evil@example.org\"")]
    [InlineData("said \"ok\" in C:\\x", "\"said \\\"ok\\\" in C:\\\\x\"")]
    [InlineData("alice", "alice")]
    public void Outside_HostileText_IsQuotedOnOneLine(string value, string expected)
    {
        Plain.Outside(value).ShouldBe(expected);
    }

    [Fact]
    public void Outside_TenThousandCharacterBody_ShowsTheFirst300AndCountsTheRest()
    {
        var shown = Plain.Outside(new string('x', 10_000));

        shown.ShouldBe("\"" + new string('x', 300) + "\"… (9,700 more characters)");
    }

    [Fact]
    public void Own_Value_IsAsWritten()
    {
        Plain.Own("R&D <on-call>").ShouldBe("R&D <on-call>");
    }
}
