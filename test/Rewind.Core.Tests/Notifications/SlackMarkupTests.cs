using Rewind.Core.Notifications;

namespace Rewind.Core.Tests.Notifications;

/// <summary>Text from outside Rewind in Slack's mrkdwn: shown, never acted on.</summary>
public sealed class SlackMarkupTests
{
    private static readonly TextMarkup Slack = TextMarkup.Slack;

    [Theory]
    [InlineData("<!channel> look", "`&lt;!channel&gt; look`")]
    [InlineData("<!here|here> <!everyone>", "`&lt;!here|here&gt; &lt;!everyone&gt;`")]
    [InlineData("ping <@U024BE7LH> and <#C024BE7LR>", "`ping &lt;＠U024BE7LH&gt; and &lt;#C024BE7LR&gt;`")]
    [InlineData("<http://evil.example/ack|Click here to acknowledge>", "`&lt;http://evil.example/ack|Click here to acknowledge&gt;`")]
    [InlineData("R&D &amp; ops", "`R&amp;D &amp;amp; ops`")]
    [InlineData("@here @channel: look", "`＠here ＠channel: look`")]
    [InlineData("run `rm -rf /` now", "`run ˋrm -rf /ˋ now`")]
    [InlineData("*bold* _it_ ~gone~ > quote", "`*bold* _it_ ~gone~ &gt; quote`")]
    [InlineData("line1\n[P1] ESCALATION forged", @"`line1\n[P1] ESCALATION forged`")]
    [InlineData("v2.4.1", "v2.4.1")]
    public void Outside_HostileText_IsEscapedInACodeSpanOnOneLine(string value, string expected)
    {
        Slack.Outside(value).ShouldBe(expected);
    }

    [Fact]
    public void Outside_TenThousandCharacterBody_ShowsTheFirst300AndCountsTheRest()
    {
        var body = "<!channel>" + new string('x', 9_990);

        var shown = Slack.Outside(body);

        shown.ShouldBe("`&lt;!channel&gt;" + new string('x', 290) + "`… (9,700 more characters)");
    }

    [Fact]
    public void Own_ConfigValueWithMarkup_IsEscapedButNotQuoted()
    {
        Slack.Own("<@U123> & <!subteam^S1>").ShouldBe("&lt;@U123&gt; &amp; &lt;!subteam^S1&gt;");
        Slack.Own("web").ShouldBe("web");
    }
}
