namespace Rewind.Core.Configuration;

/// <summary>Checks of escalation policies.</summary>
internal static partial class ConfigValidator
{
    private static void ValidateEscalation(RewindConfig config, Action<object, string?, string> add)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Escalation.Count; i++)
        {
            var policy = config.Escalation[i];
            var at = $"escalation[{i}]";
            if (policy.Name is { } name && (!Name().IsMatch(name) || !names.Add(name)))
            {
                add(policy, "name", $"{at}.name: '{name}' must be unique and lower-case letters, digits, '-', '_' or '.'");
            }

            ValidateMatch($"{at}.when", policy.When, config, add);
            if (policy.Levels.Count == 0)
            {
                add(policy, "levels", $"{at}.levels: at least one level");
            }

            for (var l = 0; l < policy.Levels.Count; l++)
            {
                var level = policy.Levels[l];
                var levelAt = $"{at}.levels[{l}]";
                if (l > 0 && level.After < policy.Levels[l - 1].After)
                {
                    add(level, "after", $"{levelAt}.after: {Durations.Format(level.After)} comes before the previous level's {Durations.Format(policy.Levels[l - 1].After)}; levels go up in time");
                }

                if (level.Channels.Count == 0 && level.Contacts.Count == 0)
                {
                    add(level, null, $"{levelAt}: name channels to page, contacts, or both");
                }

                foreach (var channel in level.Channels.Where(c => !config.Notifications.Channels.ContainsKey(c)))
                {
                    add(level, "channels", $"{levelAt}.channels: '{channel}' is not a channel under notifications.channels");
                }

                if (level.Contacts.Any(string.IsNullOrWhiteSpace))
                {
                    add(level, "contacts", $"{levelAt}.contacts: empty name");
                }
            }
        }
    }

    /// <summary>The channels some escalation level pages, which may therefore declare <c>events: []</c>.</summary>
    private static HashSet<string> EscalationChannels(RewindConfig config) =>
        config.Escalation.SelectMany(p => p.Levels).SelectMany(l => l.Channels).ToHashSet(StringComparer.Ordinal);
}
