namespace Rewind.Core.Notifications;

/// <summary>Plain text: an outside value in double quotes, a quote inside it as <c>\"</c> (backslashes are already doubled).</summary>
internal sealed class PlainTextMarkup : TextMarkup
{
    public override string Own(string value) => value;

    protected override string Quote(string oneLine) => $"\"{oneLine.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
