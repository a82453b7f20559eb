namespace Rewind.Core.Notifications;

/// <summary>
/// How a channel's text shows the values put into a template. A template's own text is the operator's and is sent as
/// written (a Slack template may hold <c>&lt;!here&gt;</c> on purpose); every value is made inert for the channel's
/// markup, and a value from outside Rewind (<see cref="OutsideText"/>) is also capped, kept on one line and quoted
/// unless it is one plain word.
/// </summary>
public abstract class TextMarkup
{
    /// <summary>Plain text: webhooks, commands and email (sent as <c>text/plain</c>, so nothing in it is markup).</summary>
    public static TextMarkup Plain { get; } = new PlainTextMarkup();

    /// <summary>Slack's <c>mrkdwn</c>, which Mattermost and Rocket.Chat read alike.</summary>
    public static TextMarkup Slack { get; } = new SlackMarkup();

    /// <summary>A value Rewind wrote or the config holds (an ID, a component, a contact): made inert for the markup.</summary>
    public abstract string Own(string value);

    /// <summary>A value from outside Rewind: bare when it is one plain word, else its excerpt on one line, quoted, and what was left off.</summary>
    public string Outside(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (OutsideText.IsPlainWord(value))
        {
            return Own(value);
        }

        var excerpt = OutsideText.Excerpt(value, out var omitted);
        return Quote(OutsideText.OneLine(excerpt)) + OutsideText.Omission(omitted);
    }

    /// <summary>Marks a one-line excerpt as quoted, inert for the markup.</summary>
    protected abstract string Quote(string oneLine);
}
