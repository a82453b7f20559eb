using System.Text;

namespace Rewind.Core.Notifications;

/// <summary>
/// A message text with <c>{{name}}</c> placeholders, e.g. <c>{{incident.id}}</c>. Deliberately tiny: no logic, no
/// filters. A placeholder the event cannot fill is an error when the template is parsed, never a blank at 3 a.m. A value
/// missing at render time (a release nobody recorded) renders as <c>-</c>. Values are escaped for the channel's
/// <see cref="TextMarkup"/> as they are put in; the template's own text is sent as written.
/// </summary>
public sealed class NotificationTemplate
{
    private static readonly string[] Common =
    [
        "event", "incident.id", "incident.component", "incident.severity", "incident.status", "incident.title",
        "incident.release", "incident.policy", "incident.opened-at", "entry.message", "entry.actor", "entry.at",
    ];

    private static readonly string[] RollbackOnly =
    [
        "rollback.id", "rollback.from", "rollback.to", "rollback.status", "rollback.requested-by", "rollback.error",
    ];

    private static readonly string[] ControllerOnly =
    [
        "event", "fault.kind", "fault.severity", "fault.message", "fault.since", "fault.duration", "controller.host", "controller.store",
    ];

    private static readonly string[] EscalationOnly =
    [
        "escalation.policy", "escalation.level", "escalation.contacts",
    ];

    /// <summary>
    /// The placeholders whose values Rewind did not write: the monitored system's words (evidence and step output in
    /// messages and errors, versions) and people's (reasons, notes, names). They are shown as <see cref="OutsideText"/>.
    /// </summary>
    private static readonly HashSet<string> Outside = new(StringComparer.Ordinal)
    {
        "incident.title", "incident.release", "entry.message", "entry.actor",
        "rollback.from", "rollback.to", "rollback.requested-by", "rollback.error", "fault.message",
    };

    private readonly IReadOnlyList<(string Literal, string? Placeholder)> _parts;

    private NotificationTemplate(IReadOnlyList<(string, string?)> parts)
    {
        _parts = parts;
    }

    /// <summary>The placeholders a template for <paramref name="kind"/> may use.</summary>
    public static IReadOnlyList<string> Placeholders(NotificationEvent kind) =>
        NotificationEvents.IsController(kind) ? ControllerOnly
        : NotificationEvents.IsRollback(kind) ? [.. Common, .. RollbackOnly]
        : kind == NotificationEvent.Escalation ? [.. Common, .. EscalationOnly]
        : Common;

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and where in the text.</summary>
    public static bool TryParse(string text, NotificationEvent kind, out NotificationTemplate template, out string error)
    {
        var known = Placeholders(kind);
        var parts = new List<(string, string?)>();
        var position = 0;
        template = new NotificationTemplate(parts);
        error = "";
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add((text[position..], null));
                break;
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{{{{' at character {open + 1} is never closed with '}}}}'";
                return false;
            }

            var name = text[(open + 2)..close].Trim();
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                error = $"unknown placeholder {{{{{name}}}}} for {NotificationEvents.Name(kind)}; known: {string.Join(", ", known)}";
                return false;
            }

            parts.Add((text[position..open], name));
            position = close + 2;
        }

        return true;
    }

    /// <summary>Parses a template known to be valid (the defaults, a validated config).</summary>
    public static NotificationTemplate Parse(string text, NotificationEvent kind) =>
        TryParse(text, kind, out var template, out var error) ? template : throw new FormatException(error);

    /// <summary>Whether the value of <paramref name="placeholder"/> comes from outside Rewind.</summary>
    public static bool IsOutside(string placeholder) => Outside.Contains(placeholder);

    /// <summary>The text with every placeholder replaced by its value as <paramref name="markup"/> shows it.</summary>
    public string Render(IReadOnlyDictionary<string, string?> values, TextMarkup markup)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(markup);
        var builder = new StringBuilder();
        foreach (var (literal, placeholder) in _parts)
        {
            builder.Append(literal);
            if (placeholder is null)
            {
                continue;
            }

            builder.Append(values.TryGetValue(placeholder, out var value) && !string.IsNullOrEmpty(value)
                ? IsOutside(placeholder) ? markup.Outside(value) : markup.Own(value)
                : "-");
        }

        return builder.ToString();
    }
}
