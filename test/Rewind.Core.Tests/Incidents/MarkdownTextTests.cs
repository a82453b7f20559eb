using Rewind.Core.Incidents;

namespace Rewind.Core.Tests.Incidents;

public sealed class MarkdownTextTests
{
    [Theory]
    [InlineData("a | b", @"a \| b")]
    [InlineData("line one\r\nline two\nline three", "line one ⏎ line two ⏎ line three")]
    [InlineData(@"C:\path\|x", @"C:\\path\\\|x")]
    [InlineData("<b>bold</b>", @"\<b>bold\</b>")]
    [InlineData("`code` *em* _em_ ~~del~~", @"\`code\` \*em\* \_em\_ \~\~del\~\~")]
    [InlineData("![img](http://x)", @"!\[img\](http://x)")]
    [InlineData("tab\there", "tab here")]
    [InlineData("  ", "-")]
    [InlineData(null, "-")]
    public void Escape_RecordText_IsLiteralOnOneLine(string? text, string expected)
    {
        MarkdownText.Escape(text).ShouldBe(expected);
    }
}
