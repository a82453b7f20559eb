namespace Rewind.Core.Notifications;

/// <summary>A notification to put in the outbox: one per channel and timeline entry, rendered once.</summary>
/// <param name="DeliveryId">Unique per message and stable across retries: receivers de-duplicate by it.</param>
/// <param name="Channel">The channel's name in the config.</param>
/// <param name="SourceSeq">The timeline entry it comes from; (channel, source) is unique, so a repeat is suppressed.</param>
/// <param name="IncidentId">The incident the entry belongs to.</param>
/// <param name="Event">What people are told.</param>
/// <param name="Text">The rendered template.</param>
/// <param name="Payload">The exact JSON body sent (and signed) on every attempt.</param>
/// <param name="CreatedAt">When the tail put it in the outbox.</param>
public sealed record NewNotification(
    string DeliveryId,
    string Channel,
    long SourceSeq,
    string IncidentId,
    NotificationEvent Event,
    string Text,
    string Payload,
    DateTimeOffset CreatedAt);

/// <summary>A row of the durable outbox and what became of it.</summary>
public sealed record OutboxMessage(
    long Seq,
    string DeliveryId,
    string Channel,
    long SourceSeq,
    string IncidentId,
    NotificationEvent Event,
    string Text,
    string Payload,
    NotificationStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? SentAt,
    string? LastError);

/// <summary>How much a channel has waiting: for the listing, and for /metrics later.</summary>
public sealed record OutboxDepth(string Channel, int Pending, int Failed, DateTimeOffset? OldestPendingAt);
