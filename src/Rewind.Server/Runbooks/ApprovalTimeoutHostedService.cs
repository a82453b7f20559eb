using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Engine.Approvals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Runbooks;

/// <summary>The loop of <see cref="ApprovalTimeouts"/>: every second, the rollbacks nobody decided on in time.</summary>
internal sealed class ApprovalTimeoutHostedService(ApprovalTimeouts timeouts, TimeProvider time, ILogger<ApprovalTimeoutHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly StoreOutageLog _outage = new(time);

    protected override async Task RunAsLeaderAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            do
            {
                try
                {
                    await timeouts.CheckAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    if (_outage.Filter(ex) is { } shown)
                    {
                        ServerLog.DecisionFailed(logger, shown, "(approvals)");
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
