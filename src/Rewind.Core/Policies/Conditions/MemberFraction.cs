using System.Globalization;
using Rewind.Core.Configuration;

namespace Rewind.Core.Policies.Conditions;

/// <summary>"More than 50 % of functions failing": a member is failing when its last sample failed; one not yet probed is not counted as passing.</summary>
public static class MemberFraction
{
    public static (bool Holds, string Evidence) Evaluate(FractionConditionConfig condition, IReadOnlyList<string> members, Func<string, bool?> lastSuccess)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(lastSuccess);
        var failing = members.Where(m => lastSuccess(m) == false).ToList();
        var unknown = members.Count(m => lastSuccess(m) is null);
        var fraction = members.Count == 0 ? 0 : (double)failing.Count / members.Count;
        var evidence = string.Create(CultureInfo.InvariantCulture,
            $"{failing.Count} of {members.Count} members failing ({100 * fraction:0.#} %, limit above {100 * condition.Above:0.#} %){(failing.Count > 0 ? $": {string.Join(", ", failing)}" : "")}{(unknown > 0 ? $"; {unknown} not probed yet" : "")}");
        return (fraction > condition.Above, evidence);
    }
}
