using System.Globalization;
using Rewind.Core.Haproxy;

namespace Rewind.Core.Configuration;

/// <summary>Checks of the HAProxy plan steps: <c>traffic</c> and <c>maintenance</c>.</summary>
internal static partial class ConfigValidator
{
    private static void ValidateTrafficStep(string at, TrafficStepConfig traffic, Action<object, string?, string> add)
    {
        ValidateHaproxy($"{at}.haproxy", traffic.Haproxy, add);
        var to = ValidateServers(at, traffic, "to", traffic.To, add);
        var from = ValidateServers(at, traffic, "from", traffic.From, add);
        foreach (var server in traffic.From.Intersect(traffic.To, StringComparer.Ordinal))
        {
            add(traffic, "from", $"{at}.from: '{server}' is also in to; a server cannot give traffic to itself");
        }

        if (to && from && Math.Max(traffic.To.Count, traffic.From.Count) > TrafficShiftPlan.MaxWeight * Math.Min(traffic.To.Count, traffic.From.Count))
        {
            add(traffic, "to", $"{at}: one group has more than {TrafficShiftPlan.MaxWeight} times as many servers as the other; HAProxy weights cannot split traffic that finely");
        }

        var steps = traffic.Steps;
        var stepsValid = steps.Count > 0 && steps[^1] == 100 && steps.All(s => s is >= 1 and <= 100) && steps.Zip(steps.Skip(1)).All(p => p.First < p.Second);
        if (!stepsValid)
        {
            add(traffic, "steps", $"{at}.steps: percentages from 1 to 100 in strictly increasing order, ending at 100, e.g. [25, 50, 75, 100]");
        }

        if (traffic.Gate < TimeSpan.Zero)
        {
            add(traffic, "gate", $"{at}.gate: must not be negative");
        }

        if (traffic.Timeout <= TimeSpan.Zero)
        {
            add(traffic, "timeout", $"{at}.timeout: must be positive");
        }
        else if (stepsValid && traffic.Gate > TimeSpan.Zero && traffic.Timeout <= traffic.Gate * steps.Count)
        {
            add(traffic, "timeout", string.Create(CultureInfo.InvariantCulture, $"{at}.timeout: not longer than the gates alone ({steps.Count} stages × {Durations.Format(traffic.Gate)}), so the step could never finish"));
        }
    }

    private static void ValidateMaintenanceStep(string at, MaintenanceStepConfig maintenance, Action<object, string?, string> add)
    {
        ValidateHaproxy($"{at}.haproxy", maintenance.Haproxy, add);
        ValidateServers(at, maintenance, "servers", maintenance.Servers, add);
        if (maintenance.State is null)
        {
            add(maintenance, "state", $"{at}.state: required: maint, drain or ready");
        }
    }

    private static void ValidateHaproxy(string at, HaproxyConfig haproxy, Action<object, string?, string> add)
    {
        if (haproxy.Socket.Length == 0)
        {
            add(haproxy, "socket", $"{at}.socket: required, {HaproxyAddress.Expected}");
        }
        else if (!HaproxyAddress.TryParse(haproxy.Socket, out _, out var why))
        {
            add(haproxy, "socket", $"{at}.socket: {why}; {HaproxyAddress.Expected}");
        }

        if (!HaproxyName.IsValid(haproxy.Backend))
        {
            add(haproxy, "backend", haproxy.Backend.Length == 0 ? $"{at}.backend: required" : $"{at}.backend: '{haproxy.Backend}' is not a HAProxy name (letters, digits and . _ : -)");
        }
    }

    /// <summary>A non-empty list of distinct HAProxy server names; true when it is one.</summary>
    private static bool ValidateServers(string at, object owner, string key, List<string> servers, Action<object, string?, string> add)
    {
        if (servers.Count == 0)
        {
            add(owner, key, $"{at}.{key}: at least one server");
            return false;
        }

        var valid = true;
        foreach (var server in servers.Where(s => !HaproxyName.IsValid(s)))
        {
            add(owner, key, $"{at}.{key}: '{server}' is not a HAProxy name (letters, digits and . _ : -)");
            valid = false;
        }

        foreach (var twice in servers.GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            add(owner, key, $"{at}.{key}: '{twice.Key}' is named twice");
            valid = false;
        }

        return valid;
    }
}
