-- Agent tokens: each scoped to one host, good for the agent endpoints only. Only the hash of the secret is kept; a
-- revoked or expired token stays, so that a request bearing it is told why it is refused.
CREATE TABLE agent_tokens (
    id          text PRIMARY KEY,
    host        text NOT NULL,
    hash        text NOT NULL UNIQUE,
    description text NOT NULL,
    created_at  bigint NOT NULL,
    created_by  text NOT NULL,
    expires_at  bigint,
    revoked_at  bigint
);

-- Every agent that has polled, one row per host as it last polled: its process (a new instance at each start), version
-- and address. first_seen is kept from the first poll.
CREATE TABLE agents (
    host       text PRIMARY KEY,
    instance   text NOT NULL,
    version    text NOT NULL,
    address    text,
    started_at bigint NOT NULL,
    first_seen bigint NOT NULL,
    seen_at    bigint NOT NULL
);

-- One step of a rollback run on one host by its agent. The id (rollback, step, host) makes the same step asked again
-- find the same attempt. step is the plan step as JSON, like rollback_steps.spec. late_report keeps a report that came
-- after the attempt finished and said something else: the stored outcome stands. Fenced like every table of the store
-- (0022): the leader's writes carry its epoch, the agents' polls and reports, taken by any replica, do not.
CREATE TABLE host_attempts (
    id          text PRIMARY KEY,
    rollback_id text NOT NULL REFERENCES rollbacks (id),
    step_idx    integer NOT NULL,
    host        text NOT NULL,
    step        jsonb NOT NULL,
    status      text NOT NULL,
    created_at  bigint NOT NULL,
    claimed_at  bigint,
    claimed_by  text,
    finished_at bigint,
    output      text,
    late_report text
);

-- An agent's poll: the host's attempts not finished.
CREATE INDEX host_attempts_by_host ON host_attempts (host, status);
