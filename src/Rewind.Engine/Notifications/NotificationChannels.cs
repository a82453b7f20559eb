using System.Text;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Notifications;
using Rewind.Runtime.Notifications;
using Rewind.Runtime.Processes;

namespace Rewind.Engine.Notifications;

/// <summary>One configured channel: its settings, the notifier that sends to it and its rate limiter.</summary>
/// <remarks>
/// <see cref="Templates"/> holds the text of each event for this channel: its own <c>templates</c>, else
/// <c>notifications.templates</c>, else the default.
/// </remarks>
internal sealed record NotificationChannel(string Name, ChannelConfig Config, INotifier Notifier, RateLimiter RateLimiter, IReadOnlyDictionary<NotificationEvent, NotificationTemplate> Templates)
{
    public bool Wants(NotificationEvent kind, Severity severity) => Config.Events.Contains(kind) && severity <= Config.MinSeverity;

    /// <summary>Slack's mrkdwn for a Slack-compatible webhook; plain text for webhooks, commands and email.</summary>
    public TextMarkup Markup => Config.Slack is null ? TextMarkup.Plain : TextMarkup.Slack;
}

/// <summary>
/// The channels of the config in force and their templates: built at start, and built again by a reload of the config
/// (a channel kept with the same rate limit keeps its count of recent messages). The list is replaced as a whole.
/// </summary>
internal sealed class NotificationChannels : IDisposable
{
    private readonly HttpClient _http;
    private readonly ProcessRunner _runner;
    private readonly TimeProvider _time;
    private IReadOnlyList<NotificationChannel> _all = [];

    public NotificationChannels(NotificationsConfig config, NotificationSecrets secrets, ProcessRunner runner, TimeProvider time)
    {
        _http = HttpDelivery.CreateClient();
        _runner = runner;
        _time = time;
        Replace(config, secrets);
    }

    public IReadOnlyList<NotificationChannel> All => Volatile.Read(ref _all);

    /// <summary>Builds the channels of <paramref name="config"/> and puts them in force at once.</summary>
    public void Replace(NotificationsConfig config, NotificationSecrets secrets)
    {
        var before = All.ToDictionary(c => c.Name, StringComparer.Ordinal);
        Volatile.Write(ref _all, [.. config.Channels.Select(c => new NotificationChannel(
            c.Key,
            c.Value,
            Create(c.Key, c.Value, secrets, _runner, _time),
            before.GetValueOrDefault(c.Key) is { } kept && kept.Config.RateLimit.Count == c.Value.RateLimit.Count && kept.Config.RateLimit.Per == c.Value.RateLimit.Per
                ? kept.RateLimiter
                : new RateLimiter(c.Value.RateLimit.Count, c.Value.RateLimit.Per),
            NotificationEvents.All.ToDictionary(kind => kind, kind => TemplateOf(kind, c.Value.Templates, config.Templates))))]);
    }

    public void Dispose() => _http.Dispose();

    private static NotificationTemplate TemplateOf(NotificationEvent kind, Dictionary<string, string> channel, Dictionary<string, string> shared)
    {
        var name = NotificationEvents.Name(kind);
        return NotificationTemplate.Parse(channel.GetValueOrDefault(name) ?? shared.GetValueOrDefault(name) ?? DefaultTemplates.For(kind), kind);
    }

    private INotifier Create(string name, ChannelConfig channel, NotificationSecrets secrets, ProcessRunner runner, TimeProvider time) => channel switch
    {
        { Slack: { } slack } => new SlackNotifier(new Uri(slack.Url), _http, channel.Timeout, time),
        { Webhook: { } webhook } => new WebhookNotifier(new Uri(webhook.Url), Encoding.UTF8.GetBytes(secrets.Get(name, "webhook.secret-env") ?? ""), _http, channel.Timeout, time),
        { Email: { } email } => new EmailNotifier(
            new EmailSettings(email.SmtpHost, email.SmtpPort, email.Starttls, email.From, email.To, secrets.Get(name, "email.username-env"), secrets.Get(name, "email.password-env")),
            channel.Timeout,
            time),
        { Command: { } command } => new CommandNotifier(command.Argv, runner, channel.Timeout),
        _ => throw new InvalidOperationException($"channel {name} has no kind; the config validator should have refused it"),
    };
}
