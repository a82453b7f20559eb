using Microsoft.Extensions.Logging;
using Rewind.Engine.Policies;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// Reads every component's decision facts again once a <see cref="DecisionFacts.RefreshPeriod"/>, in a few queries, so
/// that writes of other processes (an API on another replica, the CLI) reach the decisions within that period.
/// </summary>
internal sealed class DecisionFactsHostedService(DecisionFacts facts, TimeProvider time, ILogger<DecisionFactsHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private readonly StoreOutageLog _outage = new(time);

    protected override async Task RunAsLeaderAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(DecisionFacts.RefreshPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await facts.RefreshAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    if (_outage.Filter(ex) is { } shown)
                    {
                        ServerLog.DecisionFailed(logger, shown, "(decision facts)");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
