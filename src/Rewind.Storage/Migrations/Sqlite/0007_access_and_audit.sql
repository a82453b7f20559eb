-- Users with roles, their API tokens (only hashes), and the hash-chained audit log.
CREATE TABLE users (
    name        TEXT PRIMARY KEY,
    roles       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    disabled_at INTEGER
);

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    user_name   TEXT NOT NULL REFERENCES users (name),
    hash        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER,
    revoked_at  INTEGER
);

CREATE INDEX api_tokens_by_user ON api_tokens (user_name);

-- seq is given by the writer (the newest + 1, under a lock), never by the database: a gap is a removed entry.
CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    target        TEXT NOT NULL,
    source        TEXT NOT NULL,
    result        TEXT NOT NULL,
    detail        TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash          TEXT NOT NULL
);
