using Rewind.Core.Configuration;

namespace Rewind.Engine.Notifications;

/// <summary>
/// The secrets of notification channels, read from the environment at start and at each reload of the config. A variable that is not set stops
/// the start with every such variable named at once; the values never reach a log line.
/// </summary>
internal sealed class NotificationSecrets
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private NotificationSecrets()
    {
    }

    public static NotificationSecrets Read(NotificationsConfig notifications, Func<string, string?>? environment = null)
    {
        var (secrets, missing) = Check(notifications, environment);
        return missing.Count == 0 ? secrets : throw new RewindStartException(string.Join("; ", missing.Select(m => $"{m.Key}: {m.Message}")));
    }

    /// <summary>
    /// The secrets, and each one that is not set: its dotted key (<c>notifications.channels.ops.webhook.secret-env</c>) and
    /// what is wrong. A reload reports these at their place in the file instead of stopping anything.
    /// </summary>
    public static (NotificationSecrets Secrets, IReadOnlyList<(string Key, string Message)> Missing) Check(NotificationsConfig notifications, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        environment ??= Environment.GetEnvironmentVariable;
        var secrets = new NotificationSecrets();
        var missing = new List<(string, string)>();
        foreach (var (name, channel) in notifications.Channels)
        {
            var wanted = new List<(string Key, string? Variable)>
            {
                ("webhook.secret-env", channel.Webhook?.SecretEnv),
                ("email.username-env", channel.Email?.UsernameEnv),
                ("email.password-env", channel.Email?.PasswordEnv),
            };
            foreach (var (key, variable) in wanted.Where(w => w.Variable is not null))
            {
                if (environment(variable!) is { Length: > 0 } value)
                {
                    secrets._values[$"{name}.{key}"] = value;
                }
                else
                {
                    missing.Add(($"notifications.channels.{name}.{key}", $"environment variable {variable} is not set"));
                }
            }
        }

        return (secrets, missing);
    }

    /// <summary>The value read for a channel's key, e.g. <c>("ops", "webhook.secret-env")</c>.</summary>
    public string? Get(string channel, string key) => _values.GetValueOrDefault($"{channel}.{key}");
}
