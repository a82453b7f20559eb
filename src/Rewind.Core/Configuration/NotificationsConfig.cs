using Rewind.Core.Incidents;
using Rewind.Core.Notifications;

namespace Rewind.Core.Configuration;

/// <summary>Who is told about incidents, how, and in which words. Messages go through a durable outbox in the store.</summary>
public sealed class NotificationsConfig
{
    public Dictionary<string, ChannelConfig> Channels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Message texts by event name (<c>opened</c>, <c>rollback-failed</c>, …) replacing the defaults; placeholders like <c>{{incident.id}}</c>.</summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One destination: exactly one of <c>slack</c>, <c>webhook</c>, <c>email</c> or <c>command</c>.</summary>
public sealed class ChannelConfig
{
    public SlackChannelConfig? Slack { get; set; }

    public WebhookChannelConfig? Webhook { get; set; }

    public EmailChannelConfig? Email { get; set; }

    public CommandChannelConfig? Command { get; set; }

    /// <summary>
    /// The events sent to this channel. Default: every event. <c>[]</c> for a channel only escalation levels page
    /// (a pager for the second line).
    /// </summary>
    public List<NotificationEvent> Events { get; set; } = [.. NotificationEvents.All];

    /// <summary>Message texts for this channel only, by event name; they win over <c>notifications.templates</c>.</summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The least severe incident sent. Default P3: every incident.</summary>
    public Severity MinSeverity { get; set; } = Severity.P3;

    /// <summary>At most this many sends per window; more wait, none is dropped. Default 30 per 1m.</summary>
    public RateLimitConfig RateLimit { get; set; } = new();

    /// <summary>How long one send may take before it counts as failed and is retried. Default 10s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a message is retried before it is marked failed and the channel moves on. Default 24h.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    public string Kind => Slack is not null ? "slack" : Webhook is not null ? "webhook" : Email is not null ? "email" : Command is not null ? "command" : "none";
}

/// <summary>A Slack-compatible incoming webhook: <c>POST {"text": …}</c>.</summary>
public sealed class SlackChannelConfig
{
    public string Url { get; set; } = "";
}

/// <summary>A generic JSON webhook, signed with HMAC-SHA256 so the receiver can tell Rewind from anyone else.</summary>
public sealed class WebhookChannelConfig
{
    public string Url { get; set; } = "";

    /// <summary>The environment variable holding the signing secret, read once at start. Never the secret itself.</summary>
    public string SecretEnv { get; set; } = "";
}

/// <summary>Email through an SMTP relay (the framework's SmtpClient).</summary>
public sealed class EmailChannelConfig
{
    public string SmtpHost { get; set; } = "";

    /// <summary>Default 25.</summary>
    public int SmtpPort { get; set; } = 25;

    /// <summary>Upgrade the connection with STARTTLS. Default false.</summary>
    public bool Starttls { get; set; }

    public string From { get; set; } = "";

    public List<string> To { get; set; } = [];

    /// <summary>Optional: the environment variable holding the SMTP user name; given together with <see cref="PasswordEnv"/>.</summary>
    public string? UsernameEnv { get; set; }

    public string? PasswordEnv { get; set; }
}

/// <summary>Runs an argument vector (never a shell) with the message JSON on its stdin; exit 0 is delivered.</summary>
public sealed class CommandChannelConfig
{
    public List<string> Argv { get; set; } = [];
}

public sealed class RateLimitConfig
{
    /// <summary>Default 30.</summary>
    public int Count { get; set; } = 30;

    /// <summary>Default 1m.</summary>
    public TimeSpan Per { get; set; } = TimeSpan.FromMinutes(1);
}
