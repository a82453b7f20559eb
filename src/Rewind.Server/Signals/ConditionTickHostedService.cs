using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Engine.Policies;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>Evaluates the time-based conditions (counts in a window, member fractions, composites) once a second, so a window that slides or a member that stays down is noticed without a new sample; and asks again about rollbacks held while the monitor could not be believed.</summary>
internal sealed class ConditionTickHostedService(DecisionEngine engine, TimeProvider time, ILogger<ConditionTickHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly StoreOutageLog _outage = new(time);

    protected override async Task RunAsLeaderAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await engine.TickAsync(stoppingToken);
                    await engine.RetryHeldAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    if (_outage.Filter(ex) is { } shown)
                    {
                        ServerLog.DecisionFailed(logger, shown, "(tick)");
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
