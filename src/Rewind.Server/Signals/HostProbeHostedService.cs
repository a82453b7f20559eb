using Microsoft.Extensions.Logging;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// The leader's loop for each probe a host's agent runs: at the probe's interval, hands the samples the agent sent
/// (stored by whichever replica took them) to the board and the decision engine (<see cref="HostProbeFeed"/>).
/// </summary>
internal sealed class HostProbeHostedService(ConfigHolder config, HostProbeFeed feed, TimeProvider time, ILogger<HostProbeHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        config.FollowAsync(c => HostProbe.All(c).Select(p => (p.Component, p.Name, p.Config)).ToList(), RunAsync, stoppingToken);

    private Task RunAsync(Core.Configuration.RewindConfig current, CancellationToken stoppingToken)
    {
        feed.Reset();
        return Task.WhenAll(HostProbe.All(current).Select(probe => PeriodicLoop.RunAsync(
            probe.Config.Interval,
            time,
            cancellationToken => feed.FeedAsync(probe, cancellationToken),
            ex => ServerLog.HostProbeFeedFailed(logger, ex, probe.Component, probe.Name),
            stoppingToken)));
    }
}
