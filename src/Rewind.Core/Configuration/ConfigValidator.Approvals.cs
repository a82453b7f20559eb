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

            foreach (var component in rule.When.Components.Where(c => !config.Components.ContainsKey(c)))
            {
                add(rule.When, "components", $"{at}.when.components: '{component}' is not a component");
            }

            var policies = config.Components.Values.SelectMany(c => c.Policies.Keys).Append("manual").ToHashSet(StringComparer.Ordinal);
            foreach (var policy in rule.When.Policies.Where(p => !policies.Contains(p)))
            {
                add(rule.When, "policies", $"{at}.when.policies: '{policy}' is not a policy of any component (or manual)");
            }
        }
    }
}
