using Rewind.Core.Access;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;

namespace Rewind.Core.Approvals;

/// <summary>One person's decision on a rollback waiting for approval, with the roles they held when they made it.</summary>
public sealed record Approval(string RollbackId, string Approver, IReadOnlyList<string> Roles, bool Approved, DateTimeOffset At, string Note);

/// <summary>The authorisation matrix: which rule covers a rollback, and whether its approvals satisfy it.</summary>
public static class ApprovalMatrix
{
    public const string Manual = "manual";

    /// <summary>The policy a rollback was asked for by, or <c>manual</c> when people asked.</summary>
    public static string PolicyOf(string requestedBy) =>
        requestedBy.StartsWith("policy:", StringComparison.Ordinal) ? requestedBy["policy:".Length..] : Manual;

    /// <summary>Whether a rollback nobody decided on runs anyway: only when the rule says proceed and an auto-mode policy asked for it.</summary>
    public static bool ProceedsOnTimeout(ApprovalRuleConfig rule, string requestedBy, ComponentConfig? component)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.OnTimeout == ApprovalTimeout.Proceed
            && component?.Policies.GetValueOrDefault(PolicyOf(requestedBy))?.Mode == Policies.PolicyMode.Auto;
    }

    /// <summary>The first rule matching the rollback, with its index; null when none matches (no approval needed).</summary>
    public static (ApprovalRuleConfig Rule, int Index)? RuleFor(IReadOnlyList<ApprovalRuleConfig> rules, string component, Severity severity, string requestedBy)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var policy = PolicyOf(requestedBy);
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].When.Matches(component, severity, policy))
            {
                return (rules[i], i);
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="approver"/> may not decide at all, or null when they may.</summary>
    public static string? Refusal(ApprovalRuleConfig rule, string requestedBy, string approver, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.TwoPerson && string.Equals(requestedBy, approver, StringComparison.Ordinal))
        {
            return $"{approver} asked for this rollback; the two-person rule needs someone else to approve it";
        }

        var counted = rule.AnyOf.Concat(rule.AllOf).Distinct(StringComparer.Ordinal).ToList();
        return counted.Count > 0 && !counted.Any(r => Access.Roles.Grants(roles, r))
            ? $"{approver} has {(roles.Count == 0 ? "no role" : string.Join(", ", roles))}; approving needs one of {string.Join(", ", counted)}"
            : null;
    }

    /// <summary>Whether the approvals satisfy the rule, and if not, what is still missing in an operator's words.</summary>
    public static (bool Satisfied, string Missing) Evaluate(ApprovalRuleConfig rule, string requestedBy, IReadOnlyList<Approval> approvals)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(approvals);
        var yes = approvals.Where(a => a.Approved && !(rule.TwoPerson && string.Equals(a.Approver, requestedBy, StringComparison.Ordinal)))
            .GroupBy(a => a.Approver, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var missing = new List<string>();
        if (rule.AnyOf.Count > 0 && !yes.Any(a => rule.AnyOf.Any(r => Access.Roles.Grants(a.Roles, r))))
        {
            missing.Add($"an approval by any of {string.Join(", ", rule.AnyOf)}");
        }

        if (rule.AllOf.Count > 0 && !CoverEachRole(rule.AllOf, yes, out var uncovered))
        {
            missing.Add($"approvals by different people holding {string.Join(", ", uncovered)}");
        }

        if (rule.AnyOf.Count == 0 && rule.AllOf.Count == 0 && yes.Count == 0)
        {
            missing.Add("one approval");
        }

        return (missing.Count == 0, string.Join(" and ", missing));
    }

    /// <summary>A different approver for each role (a small bipartite matching: the role lists are short).</summary>
    private static bool CoverEachRole(List<string> roles, List<Approval> approvals, out List<string> uncovered)
    {
        var assignment = new Dictionary<string, string>(StringComparer.Ordinal); // approver -> role
        foreach (var role in roles)
        {
            Assign(role, new HashSet<string>(StringComparer.Ordinal));
        }

        var covered = assignment.Values.ToHashSet(StringComparer.Ordinal);
        uncovered = [.. roles.Where(r => !covered.Contains(r))];
        return uncovered.Count == 0;

        bool Assign(string role, HashSet<string> seen)
        {
            foreach (var approval in approvals.Where(a => Access.Roles.Grants(a.Roles, role)))
            {
                if (!seen.Add(approval.Approver))
                {
                    continue;
                }

                if (!assignment.TryGetValue(approval.Approver, out var held) || Assign(held, seen))
                {
                    assignment[approval.Approver] = role;
                    return true;
                }
            }

            return false;
        }
    }
}
