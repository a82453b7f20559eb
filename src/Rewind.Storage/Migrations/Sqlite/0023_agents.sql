-- Agent tokens: each scoped to one host, good for the agent endpoints only. Only the hash of the secret is kept; a
-- revoked or expired token stays, so that a request bearing it is told why it is refused.
CREATE TABLE agent_tokens (
    id          TEXT PRIMARY KEY,
    host        TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    expires_at  INTEGER,
    revoked_at  INTEGER
);

-- Every agent that has polled, one row per host as it last polled: its process (a new instance at each start), version
-- and address. first_seen is kept from the first poll.
CREATE TABLE agents (
    host       TEXT PRIMARY KEY,
    instance   TEXT NOT NULL,
    version    TEXT NOT NULL,
    address    TEXT,
    started_at INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL
);

-- One step of a rollback run on one host by its agent. The id (rollback, step, host) makes the same step asked again
-- find the same attempt. step is the plan step as JSON, like rollback_steps.spec. late_report keeps a report that came
-- after the attempt finished and said something else: the stored outcome stands.
CREATE TABLE host_attempts (
    id          TEXT PRIMARY KEY,
    rollback_id TEXT NOT NULL REFERENCES rollbacks (id),
    step_idx    INTEGER NOT NULL,
    host        TEXT NOT NULL,
    step        TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    claimed_at  INTEGER,
    claimed_by  TEXT,
    finished_at INTEGER,
    output      TEXT,
    late_report TEXT
);

-- An agent's poll: the host's attempts not finished.
CREATE INDEX host_attempts_by_host ON host_attempts (host, status);
