using Microsoft.Extensions.Logging;
using Rewind.Core.Incidents;
using Rewind.Core.Notifications;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Notifications;

/// <summary>
/// Tails the incident timeline from the cursor kept in the store and puts one outbox message per interested channel
/// for each entry people are told about, moving the cursor in the same transaction. A repeat (after a crash, or by a
/// second replica) is suppressed by the outbox's unique (channel, entry) key.
/// </summary>
/// <remarks>
/// On PostgreSQL an entry's sequence number is taken when it is inserted, not when it commits, so entry 11 can be
/// visible before entry 10. The cursor therefore stops before a gap and only passes it once the gap has stayed for
/// <see cref="GapGrace"/> (a transaction that rolled back leaves a gap for good); the entries after it are put in the
/// outbox meanwhile and suppressed when read again.
/// </remarks>
internal sealed class NotificationTail(IStore store, NotificationComposer composer, OutboxSignal signal, TimeProvider time, ILogger<NotificationTail> logger)
{
    private const int Batch = 200;

    public static TimeSpan GapGrace { get; } = TimeSpan.FromSeconds(5);

    private (long Seq, DateTimeOffset Since)? _gap;

    /// <summary>One pass: returns true when a full batch was read and more may be waiting.</summary>
    public async Task<bool> TailOnceAsync(CancellationToken cancellationToken = default)
    {
        var cursor = await store.GetNotificationCursorAsync(cancellationToken);
        var entries = await store.GetTimelineAfterAsync(cursor, Batch, cancellationToken);
        if (entries.Count == 0)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var next = Advance(cursor, entries, now);
        var messages = new List<NewNotification>();
        foreach (var entry in entries)
        {
            messages.AddRange(await composer.ComposeAsync(entry, now, cancellationToken));
        }

        var inserted = await store.EnqueueNotificationsAsync(messages, next, cancellationToken);
        if (inserted > 0)
        {
            EngineLog.NotificationsQueued(logger, inserted, next);
            signal.Pulse();
        }

        return entries.Count == Batch && next > cursor;
    }

    /// <summary>The last sequence number with no gap before it, or past a gap that has outlived the grace.</summary>
    private long Advance(long cursor, IReadOnlyList<SequencedTimelineEvent> entries, DateTimeOffset now)
    {
        var next = cursor;
        foreach (var entry in entries)
        {
            if (entry.Seq != next + 1)
            {
                var gap = next + 1;
                if (_gap is not { } known || known.Seq != gap)
                {
                    _gap = (gap, now);
                    return next;
                }

                if (now - known.Since < GapGrace)
                {
                    return next;
                }

                EngineLog.NotificationGapSkipped(logger, gap, entry.Seq - 1);
                _gap = null;
            }

            next = entry.Seq;
        }

        return next;
    }
}
