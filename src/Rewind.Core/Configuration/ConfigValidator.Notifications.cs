using System.Net.Mail;
using System.Text.RegularExpressions;
using Rewind.Core.Notifications;

namespace Rewind.Core.Configuration;

/// <summary>Checks of notification channels and message templates.</summary>
internal static partial class ConfigValidator
{
    private static void ValidateNotifications(NotificationsConfig notifications, HashSet<string> escalationChannels, Action<object, string?, string> add)
    {
        foreach (var (name, channel) in notifications.Channels)
        {
            var at = $"notifications.channels.{name}";
            if (!Name().IsMatch(name))
            {
                add(notifications.Channels, name, $"{at}: a name is lower-case letters, digits, '-', '_' or '.', starting with a letter or digit");
            }

            ValidateChannel(at, channel, escalationChannels.Contains(name), add);
            ValidateTemplates($"{at}.templates", channel.Templates, add);
        }

        ValidateTemplates("notifications.templates", notifications.Templates, add);
    }

    private static void ValidateTemplates(string at, Dictionary<string, string> templates, Action<object, string?, string> add)
    {
        foreach (var (key, text) in templates)
        {
            var keyAt = $"{at}.{key}";
            if (!NotificationEvents.TryParse(key, out var kind))
            {
                add(templates, key, $"{keyAt}: not an event; expected one of: {string.Join(", ", NotificationEvents.All.Select(NotificationEvents.Name))}");
            }
            else if (string.IsNullOrWhiteSpace(text))
            {
                add(templates, key, $"{keyAt}: empty; leave it out to keep the default text");
            }
            else if (!NotificationTemplate.TryParse(text, kind, out _, out var error))
            {
                add(templates, key, $"{keyAt}: {error}");
            }
        }
    }

    private static void ValidateChannel(string at, ChannelConfig channel, bool pagedByEscalation, Action<object, string?, string> add)
    {
        var kinds = (channel.Slack is null ? 0 : 1) + (channel.Webhook is null ? 0 : 1) + (channel.Email is null ? 0 : 1) + (channel.Command is null ? 0 : 1);
        if (kinds != 1)
        {
            add(channel, null, $"{at}: declare exactly one kind: slack, webhook, email or command");
        }

        if (channel.Slack is { } slack && !IsHttpUrl(slack.Url))
        {
            add(slack, "url", $"{at}.slack.url: expected an http:// or https:// URL");
        }

        if (channel.Webhook is { } webhook)
        {
            if (!IsHttpUrl(webhook.Url))
            {
                add(webhook, "url", $"{at}.webhook.url: expected an http:// or https:// URL");
            }

            if (!EnvironmentName().IsMatch(webhook.SecretEnv))
            {
                add(webhook, "secret-env", $"{at}.webhook.secret-env: the name of an environment variable holding the signing secret, e.g. REWIND_WEBHOOK_SECRET");
            }
        }

        if (channel.Email is { } email)
        {
            ValidateEmail($"{at}.email", email, add);
        }

        if (channel.Command is { } command && (command.Argv.Count == 0 || command.Argv.Any(string.IsNullOrEmpty)))
        {
            add(command, "argv", $"{at}.command.argv: a non-empty argument vector without empty elements");
        }

        if (channel.Events.Count == 0 && !pagedByEscalation)
        {
            add(channel, "events", $"{at}.events: empty, and no escalation level pages this channel, so it would receive nothing; leave it out to send every event");
        }

        if (channel.RateLimit.Count < 1)
        {
            add(channel.RateLimit, "count", $"{at}.rate-limit.count: at least 1");
        }

        if (channel.RateLimit.Per <= TimeSpan.Zero)
        {
            add(channel.RateLimit, "per", $"{at}.rate-limit.per: must be positive");
        }

        if (channel.Timeout <= TimeSpan.Zero)
        {
            add(channel, "timeout", $"{at}.timeout: must be positive");
        }

        if (channel.GiveUpAfter <= TimeSpan.Zero)
        {
            add(channel, "give-up-after", $"{at}.give-up-after: must be positive");
        }
    }

    private static void ValidateEmail(string at, EmailChannelConfig email, Action<object, string?, string> add)
    {
        if (string.IsNullOrWhiteSpace(email.SmtpHost))
        {
            add(email, "smtp-host", $"{at}.smtp-host: required");
        }

        if (email.SmtpPort is < 1 or > 65535)
        {
            add(email, "smtp-port", $"{at}.smtp-port: a port from 1 to 65535");
        }

        if (!MailAddress.TryCreate(email.From, out _))
        {
            add(email, "from", $"{at}.from: expected an email address");
        }

        if (email.To.Count == 0)
        {
            add(email, "to", $"{at}.to: at least one address");
        }

        foreach (var address in email.To.Where(a => !MailAddress.TryCreate(a, out _)))
        {
            add(email, "to", $"{at}.to: '{address}' is not an email address");
        }

        if ((email.UsernameEnv is null) != (email.PasswordEnv is null))
        {
            add(email, email.UsernameEnv is null ? "password-env" : "username-env", $"{at}: username-env and password-env go together");
        }

        foreach (var (key, value) in new[] { ("username-env", email.UsernameEnv), ("password-env", email.PasswordEnv) })
        {
            if (value is not null && !EnvironmentName().IsMatch(value))
            {
                add(email, key, $"{at}.{key}: the name of an environment variable");
            }
        }
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EnvironmentName();
}
