using Rewind.Core.Incidents;
using Rewind.Core.Notifications;

namespace Rewind.Core.Storage;

/// <summary>
/// The durable outbox of notifications and the cursor of the timeline tail that fills it. A message is written before
/// it is sent and marked sent after; a message being sent when the controller dies is sent again (at least once), and
/// receivers de-duplicate by its delivery ID.
/// </summary>
public interface INotificationStore
{
    /// <summary>The timeline sequence number up to which entries have been turned into outbox messages.</summary>
    Task<long> GetNotificationCursorAsync(CancellationToken cancellationToken = default);

    /// <summary>Timeline entries with a sequence number above <paramref name="afterSeq"/>, in append order.</summary>
    Task<IReadOnlyList<SequencedTimelineEvent>> GetTimelineAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts the messages and moves the cursor forward to <paramref name="cursor"/> (never back) in one transaction.
    /// A message for a (channel, timeline entry) already in the outbox is suppressed. Returns how many were inserted.
    /// </summary>
    Task<int> EnqueueNotificationsAsync(IReadOnlyList<NewNotification> notifications, long cursor, CancellationToken cancellationToken = default);

    /// <summary>A channel's pending messages, oldest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> GetPendingNotificationsAsync(string channel, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a pending message for one attempt, counting the attempt before it is made: succeeds only while its next
    /// attempt is still <paramref name="expectedNextAttemptAt"/>, then moves it to <paramref name="claimUntil"/> so
    /// that no other dispatcher sends it meanwhile and a dispatcher that dies mid-send leaves it due again.
    /// </summary>
    Task<bool> ClaimNotificationAsync(long seq, DateTimeOffset expectedNextAttemptAt, DateTimeOffset at, DateTimeOffset claimUntil, CancellationToken cancellationToken = default);

    Task MarkNotificationSentAsync(long seq, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Keeps the message pending until <paramref name="nextAttemptAt"/>; a non-null <paramref name="lastError"/> is recorded.</summary>
    Task ScheduleNotificationRetryAsync(long seq, DateTimeOffset nextAttemptAt, string? lastError, CancellationToken cancellationToken = default);

    /// <summary>Gives up on a message: it stays in the outbox as failed, with its last error.</summary>
    Task MarkNotificationFailedAsync(long seq, DateTimeOffset at, string lastError, CancellationToken cancellationToken = default);

    /// <summary>Newest first; every status when <paramref name="status"/> is null.</summary>
    Task<IReadOnlyList<OutboxMessage>> GetNotificationsAsync(NotificationStatus? status, int limit, CancellationToken cancellationToken = default);

    /// <summary>Pending and failed messages per channel that has any.</summary>
    Task<IReadOnlyList<OutboxDepth>> GetOutboxDepthAsync(CancellationToken cancellationToken = default);
}
