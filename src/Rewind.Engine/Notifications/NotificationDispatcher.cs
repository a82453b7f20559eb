using Microsoft.Extensions.Logging;
using Rewind.Core.Notifications;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Runtime.Notifications;

namespace Rewind.Engine.Notifications;

/// <summary>
/// Sends the outbox, one loop per channel, in order: the oldest pending message first. A failed send is retried on
/// <see cref="RetrySchedule"/> and holds back the channel's later messages meanwhile (a receiver that is down gets one
/// request per retry, not one per message, and reads them in order when it is back). A channel over its rate limit
/// waits. After <c>give-up-after</c> a message is marked failed and the channel moves on.
/// </summary>
internal sealed class NotificationDispatcher(IStore store, TimeProvider time, ILogger<NotificationDispatcher> logger)
{
    private const int Batch = 50;

    /// <summary>The longest a dispatcher sleeps without a pulse: messages put in by another replica are seen this soon.</summary>
    public static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    /// <summary>How long past its timeout a claimed message stays with its dispatcher before another may take it.</summary>
    private static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(30);

    /// <summary>Sends what is due; returns how long to wait before looking again (zero: look again now).</summary>
    public async Task<TimeSpan> DispatchAsync(NotificationChannel channel, CancellationToken stoppingToken = default)
    {
        var pending = await store.GetPendingNotificationsAsync(channel.Name, Batch, stoppingToken);
        foreach (var message in pending)
        {
            var now = time.GetUtcNow();
            if (message.NextAttemptAt > now)
            {
                return message.NextAttemptAt - now; // head of the line is waiting for its retry (or is claimed)
            }

            if (message.Attempts > 0 && now - message.CreatedAt >= channel.Config.GiveUpAfter)
            {
                var error = $"gave up after {message.Attempts} attempt(s) over {Core.Configuration.Durations.Format(channel.Config.GiveUpAfter)}; last error: {message.LastError ?? "none"}";
                await store.MarkNotificationFailedAsync(message.Seq, now, error, stoppingToken);
                EngineLog.NotificationGaveUp(logger, channel.Name, message.DeliveryId, error);
                continue;
            }

            if (!channel.RateLimiter.TryAcquire(now, out var limited))
            {
                return limited;
            }

            if (!await store.ClaimNotificationAsync(message.Seq, message.NextAttemptAt, now, now + channel.Config.Timeout + ClaimMargin, stoppingToken))
            {
                return TimeSpan.Zero; // another dispatcher took it; read the line again
            }

            if (!await SendAsync(channel, message, stoppingToken))
            {
                return TimeSpan.Zero; // the next look finds the message waiting for its retry
            }
        }

        return pending.Count == Batch ? TimeSpan.Zero : IdlePoll;
    }

    /// <summary>One attempt, recorded: sent, or scheduled for a retry. False when the channel must wait.</summary>
    private async Task<bool> SendAsync(NotificationChannel channel, OutboxMessage message, CancellationToken stoppingToken)
    {
        NotifyResult result;
        try
        {
            result = await channel.Notifier.SendAsync(new Notification(message.DeliveryId, NotificationEvents.Name(message.Event), message.Text, message.Payload), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping mid-send: it may or may not have arrived. Due again at once for the next controller; the
            // receiver drops a repeat by its delivery ID.
            await store.ScheduleNotificationRetryAsync(message.Seq, time.GetUtcNow(), "interrupted by shutdown", CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            result = NotifyResult.Failed($"{ex.GetType().Name}: {ex.Message}");
        }

        var now = time.GetUtcNow();
        var attempts = message.Attempts + 1;
        if (result.Delivered)
        {
            await store.MarkNotificationSentAsync(message.Seq, now, stoppingToken);
            EngineLog.NotificationSent(logger, channel.Name, NotificationEvents.Name(message.Event), message.IncidentId, message.DeliveryId, attempts);
            return true;
        }

        var delay = RetrySchedule.Delay(attempts, Random.Shared.NextDouble());
        await store.ScheduleNotificationRetryAsync(message.Seq, now + delay, result.Error, stoppingToken);
        EngineLog.NotificationRetry(logger, channel.Name, message.DeliveryId, attempts, result.Error ?? "unknown", Core.Configuration.Durations.Format(delay));
        return false;
    }
}
