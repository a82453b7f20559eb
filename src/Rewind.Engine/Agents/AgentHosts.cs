using Rewind.Core.Agents;
using Rewind.Core.Configuration;

namespace Rewind.Engine.Agents;

/// <summary>One host whose agent counts, as it stands at <c>now</c>: its agent's last poll (null when none ever polled) and whether it is connected.</summary>
internal sealed record HostAgent(string Host, AgentRecord? Agent, bool Connected);

/// <summary>
/// The hosts whose agents count: those the config names (a component's <c>host:</c>, a command step's <c>host:</c>) and
/// those whose agent has polled at least once. Read by the liveness watch, the health answer and the metrics alike.
/// </summary>
internal static class AgentHosts
{
    /// <summary>Every host that counts at <paramref name="now"/>, by name.</summary>
    public static IReadOnlyList<HostAgent> Read(RewindConfig config, IReadOnlyList<AgentRecord> agents, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var byHost = agents.ToDictionary(a => a.Host, StringComparer.Ordinal);
        return [.. Named(config).Keys.Union(byHost.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(host => byHost.GetValueOrDefault(host) is { } agent
                ? new HostAgent(host, agent, AgentLiveness.IsConnected(agent.SeenAt, now))
                : new HostAgent(host, null, Connected: false))];
    }

    /// <summary>The hosts the config names, each with the <c>unreachable.wait</c> of the components whose steps run there.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>> Named(RewindConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var named = new Dictionary<string, SortedSet<TimeSpan>>(StringComparer.Ordinal);
        foreach (var component in config.Components.Values)
        {
            var hosts = new List<string>();
            if (component.Host is { } host)
            {
                hosts.Add(host);
            }

            hosts.AddRange(component.Hosts ?? []);

            foreach (var step in (component.Plan ?? []).Concat(component.Verify.Smoke))
            {
                StepHosts(step, hosts);
            }

            foreach (var each in hosts)
            {
                (named.TryGetValue(each, out var waits) ? waits : named[each] = []).Add(component.Unreachable.Wait);
            }
        }

        return named.ToDictionary(n => n.Key, n => (IReadOnlyList<TimeSpan>)[.. n.Value], StringComparer.Ordinal);
    }

    private static void StepHosts(PlanStepConfig step, List<string> hosts)
    {
        foreach (var command in new[] { step.Command, step.MigrateDown, step.CacheFlush?.Command })
        {
            if (command?.Host is { } host)
            {
                hosts.Add(host);
            }
        }

        foreach (var inner in step.Parallel ?? [])
        {
            StepHosts(inner, hosts);
        }
    }
}
