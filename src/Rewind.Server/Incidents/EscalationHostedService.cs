using Microsoft.Extensions.Logging;
using Rewind.Engine.Incidents;
using Rewind.Server.Hosting;

namespace Rewind.Server.Incidents;

/// <summary>The escalation clock: every second, the levels that are due.</summary>
internal sealed class EscalationHostedService(Escalator escalator, TimeProvider time, ILogger<EscalationHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(Period, time, ct => escalator.CheckAsync(time.GetUtcNow(), ct), ex => ServerLog.EscalationFailed(logger, ex), stoppingToken);
}
