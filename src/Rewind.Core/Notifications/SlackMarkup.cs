namespace Rewind.Core.Notifications;

/// <summary>
/// Slack's <c>mrkdwn</c>. In every value <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> become entities, so
/// <c>&lt;!channel&gt;</c>, <c>&lt;@U123&gt;</c> and <c>&lt;http://…|label&gt;</c> are shown, never acted on. An outside
/// value is a code span (no bold, links or mentions inside it); a backtick in it, which would close the span, is shown
/// as <c>ˋ</c> (U+02CB), and <c>@</c> as <c>＠</c> (U+FF20), so no chat that parses <c>@here</c> in plain text pages anyone.
/// </summary>
internal sealed class SlackMarkup : TextMarkup
{
    public override string Own(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    protected override string Quote(string oneLine) => $"`{Own(oneLine.Replace('`', 'ˋ').Replace('@', '＠'))}`";
}
