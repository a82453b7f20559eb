using Microsoft.Extensions.Logging;
using Rewind.Core.Incidents;
using Rewind.Engine.Agents;
using Rewind.Engine.Hosting;
using Rewind.Server.Hosting;
using Rewind.Server.Notifications;

namespace Rewind.Server.Agents;

/// <summary>
/// The leader looks at the agents every <see cref="Every"/> (<see cref="AgentLivenessWatch"/>) and pages what it tells:
/// an agent lost or a named host never polled as <c>controller-fault</c>, its return as <c>controller-recovered</c>,
/// through the delivery that pages about the controller itself.
/// </summary>
internal sealed class AgentLivenessHostedService(AgentLivenessWatch watch, ControllerPageDelivery delivery, TimeProvider time, ILogger<AgentLivenessHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    /// <summary>A lost agent stops the rollbacks that need its host, not the controller: urgent, not immediate.</summary>
    public const Severity PageSeverity = Severity.P2;

    protected override Task RunAsLeaderAsync(CancellationToken cancellationToken) =>
        PeriodicLoop.RunAsync(Every, time, LookAsync, ex => ServerLog.AgentWatchFailed(logger, ex), cancellationToken);

    private async Task LookAsync(CancellationToken cancellationToken)
    {
        foreach (var notice in await watch.LookAsync(cancellationToken))
        {
            var fault = new ControllerFault(notice.Fault, PageSeverity, notice.Title, notice.Message, notice.Since);
            delivery.Enqueue(new ControllerPage(fault, notice.Gone), time.GetUtcNow());
        }
    }
}
