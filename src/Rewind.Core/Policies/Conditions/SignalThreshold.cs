using System.Globalization;
using Rewind.Core.Configuration;

namespace Rewind.Core.Policies.Conditions;

/// <summary>A signal beyond a threshold. No data holds only when the policy says <c>no-data: holds</c>; otherwise it is no evaluation at all.</summary>
public static class SignalThreshold
{
    public static bool? Holds(SignalConditionConfig condition, double? value)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (value is not { } v)
        {
            return condition.NoData == NoDataMode.Holds ? true : null;
        }

        return (condition.Above is { } above && v > above) || (condition.Below is { } below && v < below);
    }

    public static string Describe(SignalConditionConfig condition, double? value, string? error)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = string.Join(" or ", new[]
        {
            condition.Above is { } a ? string.Create(CultureInfo.InvariantCulture, $"above {a:G6}") : null,
            condition.Below is { } b ? string.Create(CultureInfo.InvariantCulture, $"below {b:G6}") : null,
        }.Where(s => s is not null));
        var seen = value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : $"no data{(error is null ? "" : $" ({error})")}";
        return $"signal {condition.Name} = {seen}, limit {limit}";
    }
}
