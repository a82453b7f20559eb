using Rewind.Core.Access;

namespace Rewind.Core.Configuration;

/// <summary>Checks of the authorisation matrix.</summary>
internal static partial class ConfigValidator
{
    private static void ValidateApprovals(RewindConfig config, Action<object, string?, string> add)
    {
        for (var i = 0; i < config.Approvals.Count; i++)
        {
            var rule = config.Approvals[i];
            var at = $"approvals[{i}]";
            foreach (var role in rule.AnyOf.Concat(rule.AllOf).Where(r => !Roles.IsValidName(r)))
            {
                add(rule, rule.AnyOf.Contains(role, StringComparer.Ordinal) ? "any-of" : "all-of", $"{at}: role '{role}': lower-case letters, digits and '-', starting with a letter");
            }

            if (rule.DecideWithin <= TimeSpan.Zero)
            {
                add(rule, "decide-within", $"{at}.decide-within: must be positive");
            }

            ValidateMatch($"{at}.when", rule.When, config, add);
        }
    }

    /// <summary>The components and policies a <c>when</c> names must exist.</summary>
    private static void ValidateMatch(string at, MatchConfig when, RewindConfig config, Action<object, string?, string> add)
    {
        foreach (var component in when.Components.Where(c => !config.Components.ContainsKey(c)))
        {
            add(when, "components", $"{at}.components: '{component}' is not a component");
        }

        var policies = config.Components.Values.SelectMany(c => c.Policies.Keys).Append("manual").ToHashSet(StringComparer.Ordinal);
        foreach (var policy in when.Policies.Where(p => !policies.Contains(p)))
        {
            add(when, "policies", $"{at}.policies: '{policy}' is not a policy of any component (or manual)");
        }
    }
}
