-- Notifications: a milestone on the timeline entries people are told about, the durable outbox, and the cursor of
-- the timeline tail that fills it.
ALTER TABLE timeline ADD COLUMN milestone TEXT;

-- One row per (channel, timeline entry): a repeat of the tail is suppressed by the unique key. payload is the exact
-- body sent and signed, kept as text so every retry sends the same bytes.
CREATE TABLE notification_outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id     TEXT NOT NULL UNIQUE,
    channel         TEXT NOT NULL,
    source_seq      INTEGER NOT NULL,
    incident_id     TEXT NOT NULL,
    event           TEXT NOT NULL,
    text            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_attempt_at INTEGER,
    sent_at         INTEGER,
    last_error      TEXT,
    UNIQUE (channel, source_seq)
);

CREATE INDEX notification_outbox_by_channel ON notification_outbox (channel, status, seq);
CREATE INDEX notification_outbox_by_status ON notification_outbox (status, seq);

-- The tail starts after the entries already written: history from before notifications existed is not sent.
CREATE TABLE notification_cursor (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);

INSERT INTO notification_cursor (id, seq) SELECT 1, COALESCE(MAX(seq), 0) FROM timeline;
