using Rewind.Core.Configuration;

namespace Rewind.Engine.Runbooks;

/// <summary>What to say when a rollback names something the config does not have as that kind: a group given as a component, a typo.</summary>
internal static class UnknownTargets
{
    public static string Component(RewindConfig config, string name) =>
        config.Groups.ContainsKey(name)
            ? $"{name} is a group, not a component: roll its members back with `rewind rollback-group {name}` (POST /api/v1/groups/{name}/rollback)"
            : $"component {name} is not in the config{Hint(name, config.Components.Keys, config.Groups.Keys, "rollback-group")}";

    public static string Group(RewindConfig config, string name) =>
        config.Components.ContainsKey(name)
            ? $"{name} is a component, not a group: roll it back with `rewind rollback {name}` (POST /api/v1/rollbacks)"
            : $"group {name} is not in the config{Hint(name, config.Groups.Keys, config.Components.Keys, "rollback")}";

    /// <summary>"; did you mean X?" for a near miss of the same kind, else of the other kind (with its command), else the names there are.</summary>
    private static string Hint(string name, IEnumerable<string> same, IEnumerable<string> other, string otherCommand)
    {
        if (NearMiss.Closest(name, same) is { } meant)
        {
            return $"; did you mean {meant}?";
        }

        if (NearMiss.Closest(name, other) is { } across)
        {
            return $"; did you mean `rewind {otherCommand} {across}`?";
        }

        var names = same.Order(StringComparer.Ordinal).ToList();
        return names.Count is > 0 and <= 10 ? $" (there are: {string.Join(", ", names)})" : "";
    }
}
