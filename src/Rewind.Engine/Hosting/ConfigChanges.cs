using System.Text.Json;
using System.Text.Json.Nodes;
using Rewind.Core.Configuration;

namespace Rewind.Engine.Hosting;

/// <summary>
/// What a reload changes, one line per thing by name: <c>component api added</c>, <c>probe web.health changed</c>,
/// <c>policy web.down removed</c>, <c>channel ops added</c>, <c>plan of web changed</c>. Names only, never a value, so no
/// secret reaches the log or the audit log through it.
/// </summary>
internal static class ConfigChanges
{
    /// <summary>The parts of a component named on their own lines; a change anywhere else is "settings of X changed".</summary>
    private static readonly string[] OwnLines = ["Probes", "Policies", "Scrapes", "Queries", "Events", "Plan", "PlanTimeout", "Verify"];

    public static IReadOnlyList<string> Between(RewindConfig running, RewindConfig next)
    {
        var changes = new List<string>();
        Named(changes, "component", running.Components, next.Components, changed: false); // a kept one is told part by part below
        foreach (var (name, was) in running.Components.Where(c => next.Components.ContainsKey(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Component(changes, name, was, next.Components[name]);
        }

        Named(changes, "channel", running.Notifications.Channels, next.Notifications.Channels);
        Section(changes, "notifications.templates", running.Notifications.Templates, next.Notifications.Templates);
        Named(changes, "group", running.Groups, next.Groups);
        Named(changes, "drill", running.Drills, next.Drills);
        Section(changes, "approvals", running.Approvals, next.Approvals);
        Section(changes, "escalation", running.Escalation, next.Escalation);
        Section(changes, "status-page", running.StatusPage, next.StatusPage);
        Named(changes, "push token", running.Server.PushTokens, next.Server.PushTokens);
        Section(changes, "server.limits", running.Server.Limits, next.Server.Limits);
        Section(changes, "sample-retention", running.SampleRetention, next.SampleRetention);
        Section(changes, "samples", running.Samples, next.Samples);
        return changes;
    }

    private static void Component(List<string> changes, string name, ComponentConfig was, ComponentConfig next)
    {
        Named(changes, "probe", was.Probes, next.Probes, name);
        Named(changes, "policy", was.Policies, next.Policies, name);
        Named(changes, "scrape", was.Scrapes, next.Scrapes, name);
        Named(changes, "query", was.Queries, next.Queries, name);
        Named(changes, "event", was.Events, next.Events, name);
        if (!ConfigFingerprint.Same(was.Plan, next.Plan) || was.PlanTimeout != next.PlanTimeout || !ConfigFingerprint.Same(was.Verify, next.Verify))
        {
            changes.Add($"plan of {name} changed");
        }

        if (!string.Equals(Rest(was), Rest(next), StringComparison.Ordinal))
        {
            changes.Add($"settings of {name} changed");
        }
    }

    /// <summary>The component without the parts named on their own lines.</summary>
    private static string Rest(ComponentConfig component)
    {
        var node = JsonNode.Parse(ConfigFingerprint.Of(component))!.AsObject();
        foreach (var key in OwnLines)
        {
            node.Remove(key);
        }

        return node.ToJsonString(JsonSerializerOptions.Default);
    }

    private static void Named<T>(List<string> changes, string kind, IReadOnlyDictionary<string, T> was, IReadOnlyDictionary<string, T> next, string? owner = null, bool changed = true)
    {
        var prefix = owner is null ? "" : owner + ".";
        foreach (var name in was.Keys.Union(next.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var what = (was.TryGetValue(name, out var before), next.TryGetValue(name, out var after)) switch
            {
                (false, true) => "added",
                (true, false) => "removed",
                _ => !changed || ConfigFingerprint.Same(before, after) ? null : "changed",
            };
            if (what is not null)
            {
                changes.Add($"{kind} {prefix}{name} {what}");
            }
        }
    }

    private static void Section(List<string> changes, string key, object? was, object? next)
    {
        if (!ConfigFingerprint.Same(was, next))
        {
            changes.Add($"{key} changed");
        }
    }
}
