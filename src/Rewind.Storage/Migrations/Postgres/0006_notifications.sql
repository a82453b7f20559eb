-- Notifications: a milestone on the timeline entries people are told about, the durable outbox, and the cursor of
-- the timeline tail that fills it.
ALTER TABLE timeline ADD COLUMN milestone text;

-- One row per (channel, timeline entry): a repeat of the tail is suppressed by the unique key. payload is the exact
-- body sent and signed, kept as text (not jsonb, which would reformat it) so every retry sends the same bytes.
CREATE TABLE notification_outbox (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id     text NOT NULL UNIQUE,
    channel         text NOT NULL,
    source_seq      bigint NOT NULL,
    incident_id     text NOT NULL,
    event           text NOT NULL,
    text            text NOT NULL,
    payload         text NOT NULL,
    status          text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    created_at      bigint NOT NULL,
    next_attempt_at bigint NOT NULL,
    last_attempt_at bigint,
    sent_at         bigint,
    last_error      text,
    UNIQUE (channel, source_seq)
);

CREATE INDEX notification_outbox_by_channel ON notification_outbox (channel, status, seq);
CREATE INDEX notification_outbox_by_status ON notification_outbox (status, seq);

-- The tail starts after the entries already written: history from before notifications existed is not sent.
CREATE TABLE notification_cursor (
    id  integer PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL
);

INSERT INTO notification_cursor (id, seq) SELECT 1, COALESCE(MAX(seq), 0) FROM timeline;
