-- Users with roles, their API tokens (only hashes), and the hash-chained audit log.
CREATE TABLE users (
    name        text PRIMARY KEY,
    roles       text NOT NULL,
    created_at  bigint NOT NULL,
    created_by  text NOT NULL,
    disabled_at bigint
);

CREATE TABLE api_tokens (
    id          text PRIMARY KEY,
    user_name   text NOT NULL REFERENCES users (name),
    hash        text NOT NULL UNIQUE,
    description text NOT NULL,
    created_at  bigint NOT NULL,
    expires_at  bigint,
    revoked_at  bigint
);

CREATE INDEX api_tokens_by_user ON api_tokens (user_name);

-- seq is given by the writer (the newest + 1, under a lock), never by the database: a gap is a removed entry.
CREATE TABLE audit_log (
    seq           bigint PRIMARY KEY,
    at            bigint NOT NULL,
    actor         text NOT NULL,
    action        text NOT NULL,
    target        text NOT NULL,
    source        text NOT NULL,
    result        text NOT NULL,
    detail        text NOT NULL,
    previous_hash text NOT NULL,
    hash          text NOT NULL
);
