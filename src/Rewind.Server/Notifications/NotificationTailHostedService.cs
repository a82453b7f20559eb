using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Engine.Notifications;
using Rewind.Server.Hosting;

namespace Rewind.Server.Notifications;

/// <summary>The loop of <see cref="NotificationTail"/>: a pass every 250 ms, at once again while full batches come.</summary>
internal sealed class NotificationTailHostedService(NotificationTail tail, TimeProvider time, ILogger<NotificationTailHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    protected override async Task RunAsLeaderAsync(CancellationToken stoppingToken)
    {
        var outage = new StoreOutageLog(time);
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                more = await tail.TailOnceAsync(stoppingToken);
                outage.Succeeded();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (outage.Filter(ex) is { } shown)
                {
                    ServerLog.NotificationTailFailed(logger, shown);
                }
            }

            if (!more)
            {
                try
                {
                    await Task.Delay(PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
