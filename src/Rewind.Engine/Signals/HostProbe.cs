using Rewind.Core.Configuration;

namespace Rewind.Engine.Signals;

/// <summary>One probe that a host's agent runs (<c>host:</c> on the probe), and the component it belongs to.</summary>
internal sealed record HostProbe(string Component, string Name, ProbeConfig Config)
{
    /// <summary>
    /// How long the probe may send nothing before it is not measured: two intervals and a run's timeout (a run that
    /// timed out, and the next one late). The agent's batching and the controller's reading add a little to it.
    /// </summary>
    public TimeSpan SilentAfter => (2 * Config.Interval) + Config.Timeout;

    /// <summary>Every probe of the config run by a host's agent, in the config's order.</summary>
    public static IReadOnlyList<HostProbe> All(RewindConfig config) =>
        [.. config.Components.SelectMany(c => c.Value.Probes.Where(p => p.Value.Host is not null).Select(p => new HostProbe(c.Key, p.Key, p.Value)))];

    /// <summary>The probes <paramref name="host"/>'s agent runs.</summary>
    public static IReadOnlyList<HostProbe> Of(RewindConfig config, string host) =>
        [.. All(config).Where(p => string.Equals(p.Config.Host, host, StringComparison.Ordinal))];
}
