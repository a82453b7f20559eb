using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Engine.Notifications;
using Rewind.Server.Hosting;

namespace Rewind.Server.Notifications;

/// <summary>The loops of <see cref="NotificationDispatcher"/>: one per channel, woken by the outbox signal or after a second.</summary>
internal sealed class NotificationDispatchHostedService(NotificationDispatcher dispatcher, NotificationChannels channels, Engine.Hosting.ConfigHolder config, OutboxSignal signal, TimeProvider time, ILogger<NotificationDispatchHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    /// <summary>One loop per channel in force; a reload that changes the notifications starts them again for the new channels.</summary>
    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        Engine.Hosting.ConfigFollowing.FollowAsync(config, c => c.Notifications, (_, cancellationToken) => Task.WhenAll(channels.All.Select(c => RunAsync(c, cancellationToken))), stoppingToken);

    private async Task RunAsync(NotificationChannel channel, CancellationToken stoppingToken)
    {
        var outage = new StoreOutageLog(time);
        while (!stoppingToken.IsCancellationRequested)
        {
            var pulse = signal.Next;
            var wait = NotificationDispatcher.IdlePoll;
            try
            {
                wait = await dispatcher.DispatchAsync(channel, stoppingToken);
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
                    ServerLog.NotificationDispatchFailed(logger, shown, channel.Name);
                }
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.WhenAny(pulse, Task.Delay(wait < NotificationDispatcher.IdlePoll ? wait : NotificationDispatcher.IdlePoll, time, stoppingToken));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
