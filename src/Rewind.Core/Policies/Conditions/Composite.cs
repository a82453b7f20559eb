using Rewind.Core.Configuration;
using Rewind.Core.Incidents;

namespace Rewind.Core.Policies.Conditions;

/// <summary>"Any critical, or at least 3 warnings": holds when any clause counts enough firing policies.</summary>
public static class Composite
{
    public static (bool Holds, string Evidence) Evaluate(
        IReadOnlyList<CompositeClauseConfig> clauses, string self, IReadOnlyDictionary<string, (bool Firing, Severity Severity)> policies)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        ArgumentNullException.ThrowIfNull(policies);
        var parts = new List<string>();
        var holds = false;
        foreach (var clause in clauses)
        {
            var counted = Members(clause, self, policies).ToList();
            var firing = counted.Where(name => policies[name].Firing).Order(StringComparer.Ordinal).ToList();
            var met = firing.Count >= clause.AtLeast;
            holds |= met;
            var of = clause.Severity is { } severity ? $"{severity} policies" : string.Join(", ", clause.Policies);
            parts.Add($"{firing.Count} of {counted.Count} ({of}) firing, {clause.AtLeast} needed{(firing.Count > 0 ? $": {string.Join(", ", firing)}" : "")}{(met ? " [met]" : "")}");
        }

        return (holds, string.Join("; ", parts));
    }

    /// <summary>The policies a clause counts: the named ones, or every other policy with its severity.</summary>
    public static IEnumerable<string> Members(CompositeClauseConfig clause, string self, IReadOnlyDictionary<string, (bool Firing, Severity Severity)> policies)
    {
        ArgumentNullException.ThrowIfNull(clause);
        ArgumentNullException.ThrowIfNull(policies);
        return clause.Severity is { } severity
            ? policies.Where(p => p.Value.Severity == severity && !string.Equals(p.Key, self, StringComparison.Ordinal)).Select(p => p.Key)
            : clause.Policies.Where(policies.ContainsKey);
    }
}
