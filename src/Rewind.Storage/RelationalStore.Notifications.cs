using Dapper;
using Rewind.Core.Incidents;
using Rewind.Core.Notifications;
using Rewind.Storage.Incidents;
using Rewind.Storage.Notifications;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    private static readonly string Pending = DbValues.Text(NotificationStatus.Pending);

    public async Task<long> GetNotificationCursorAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT seq FROM notification_cursor WHERE id = 1", cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<SequencedTimelineEvent>> GetTimelineAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TimelineRow>(new CommandDefinition(
            $"SELECT {TimelineRow.Columns} FROM timeline WHERE seq > @After ORDER BY seq LIMIT @Limit",
            new { After = afterSeq, Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SequencedTimelineEvent(r.Seq, r.ToEvent()))];
    }

    public Task<int> EnqueueNotificationsAsync(IReadOnlyList<NewNotification> notifications, long cursor, CancellationToken cancellationToken = default)
    {
        const string Insert = """
            INSERT INTO notification_outbox (delivery_id, channel, source_seq, incident_id, event, text, payload, status, attempts, created_at, next_attempt_at)
            VALUES (@DeliveryId, @Channel, @SourceSeq, @IncidentId, @Event, @Text, @Payload, @Status, 0, @CreatedAt, @CreatedAt)
            ON CONFLICT (channel, source_seq) DO NOTHING
            """;
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                var inserted = 0;
                foreach (var n in notifications)
                {
                    inserted += await connection.ExecuteAsync(new CommandDefinition(
                        Insert,
                        new
                        {
                            n.DeliveryId,
                            n.Channel,
                            n.SourceSeq,
                            n.IncidentId,
                            Event = NotificationEvents.Name(n.Event),
                            n.Text,
                            n.Payload,
                            Status = Pending,
                            CreatedAt = DbValues.ToMs(n.CreatedAt),
                        },
                        transaction,
                        cancellationToken: cancellationToken));
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE notification_cursor SET seq = @Cursor WHERE id = 1 AND seq < @Cursor", new { Cursor = cursor }, transaction, cancellationToken: cancellationToken));
                return inserted;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxMessage>> GetPendingNotificationsAsync(string channel, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"SELECT {OutboxRow.Columns} FROM notification_outbox WHERE channel = @Channel AND status = @Pending ORDER BY seq LIMIT @Limit",
            new { Channel = channel, Pending, Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToMessage())];
    }

    public async Task<bool> ClaimNotificationAsync(long seq, DateTimeOffset expectedNextAttemptAt, DateTimeOffset at, DateTimeOffset claimUntil, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notification_outbox SET attempts = attempts + 1, last_attempt_at = @At, next_attempt_at = @ClaimUntil
            WHERE seq = @Seq AND status = @Pending AND next_attempt_at = @Expected
            """,
            new { Seq = seq, Pending, Expected = DbValues.ToMs(expectedNextAttemptAt), At = DbValues.ToMs(at), ClaimUntil = DbValues.ToMs(claimUntil) },
            cancellationToken: cancellationToken));
        return changed == 1;
    }

    public Task MarkNotificationSentAsync(long seq, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE notification_outbox SET status = @Sent, sent_at = @At WHERE seq = @Seq AND status = @Pending",
            new { Seq = seq, Pending, Sent = DbValues.Text(NotificationStatus.Sent), At = DbValues.ToMs(at) },
            cancellationToken);

    public Task ScheduleNotificationRetryAsync(long seq, DateTimeOffset nextAttemptAt, string? lastError, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE notification_outbox SET next_attempt_at = @Next, last_error = COALESCE(@Error, last_error) WHERE seq = @Seq AND status = @Pending",
            new { Seq = seq, Pending, Next = DbValues.ToMs(nextAttemptAt), Error = lastError },
            cancellationToken);

    public Task MarkNotificationFailedAsync(long seq, DateTimeOffset at, string lastError, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE notification_outbox SET status = @Failed, last_error = @Error, next_attempt_at = @At WHERE seq = @Seq AND status = @Pending",
            new { Seq = seq, Pending, Failed = DbValues.Text(NotificationStatus.Failed), Error = lastError, At = DbValues.ToMs(at) },
            cancellationToken);

    public async Task<IReadOnlyList<OutboxMessage>> GetNotificationsAsync(NotificationStatus? status, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var where = status is null ? "" : "WHERE status = @Status";
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"SELECT {OutboxRow.Columns} FROM notification_outbox {where} ORDER BY seq DESC LIMIT @Limit",
            new { Status = status is { } s ? DbValues.Text(s) : null, Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToMessage())];
    }

    public async Task<IReadOnlyList<OutboxDepth>> GetOutboxDepthAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Channel, long Pending, long Failed, long? Oldest)>(new CommandDefinition(
            """
            SELECT channel,
                   SUM(CASE WHEN status = @Pending THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status = @Failed THEN 1 ELSE 0 END),
                   MIN(CASE WHEN status = @Pending THEN created_at END)
            FROM notification_outbox
            WHERE status IN (@Pending, @Failed)
            GROUP BY channel
            ORDER BY channel
            """,
            new { Pending, Failed = DbValues.Text(NotificationStatus.Failed) },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new OutboxDepth(r.Channel, (int)r.Pending, (int)r.Failed, DbValues.FromMs(r.Oldest)))];
    }
}
