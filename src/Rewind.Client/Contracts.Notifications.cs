namespace Rewind.Client;

/// <summary>
/// One message of the notification outbox. <c>status</c>: <c>pending</c> (not delivered yet: never tried, or retrying,
/// with <c>attempts</c> and <c>lastError</c>), <c>sent</c>, or <c>failed</c> (given up after the channel's give-up-after).
/// </summary>
public sealed record NotificationDto(
    string DeliveryId,
    string Channel,
    string Event,
    string IncidentId,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? SentAt,
    string? LastError,
    string Text);
