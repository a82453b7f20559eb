using Rewind.Core.Notifications;
using Rewind.Storage.Sql;

namespace Rewind.Storage.Notifications;

/// <summary>A <c>notification_outbox</c> row as Dapper reads it.</summary>
internal sealed class OutboxRow
{
    public const string Columns = """
        seq AS Seq, delivery_id AS DeliveryId, channel AS Channel, source_seq AS SourceSeq, incident_id AS IncidentId,
        event AS Event, text AS Text, payload AS Payload, status AS Status, attempts AS Attempts, created_at AS CreatedAt,
        next_attempt_at AS NextAttemptAt, last_attempt_at AS LastAttemptAt, sent_at AS SentAt, last_error AS LastError
        """;

    public long Seq { get; set; }

    public string DeliveryId { get; set; } = "";

    public string Channel { get; set; } = "";

    public long SourceSeq { get; set; }

    public string IncidentId { get; set; } = "";

    public string Event { get; set; } = "";

    public string Text { get; set; } = "";

    public string Payload { get; set; } = "";

    public string Status { get; set; } = "";

    public int Attempts { get; set; }

    public long CreatedAt { get; set; }

    public long NextAttemptAt { get; set; }

    public long? LastAttemptAt { get; set; }

    public long? SentAt { get; set; }

    public string? LastError { get; set; }

    public OutboxMessage ToMessage() => new(
        Seq,
        DeliveryId,
        Channel,
        SourceSeq,
        IncidentId,
        NotificationEvents.TryParse(Event, out var kind) ? kind : throw new InvalidOperationException($"stored value '{Event}' is not a notification event"),
        Text,
        Payload,
        DbValues.Parse<NotificationStatus>(Status),
        Attempts,
        DbValues.FromMs(CreatedAt),
        DbValues.FromMs(NextAttemptAt),
        DbValues.FromMs(LastAttemptAt),
        DbValues.FromMs(SentAt),
        LastError);
}
