CREATE TABLE components (
    name            text PRIMARY KEY,
    provider        text NOT NULL,
    current_version text,
    current_since   bigint
);

CREATE TABLE releases (
    component   text NOT NULL REFERENCES components (name),
    version     text NOT NULL,
    state       text NOT NULL,
    recorded_at bigint NOT NULL,
    "commit"    text,
    artifact    text,
    recorded_by text,
    stable_at   bigint,
    incident    text,
    PRIMARY KEY (component, version)
);

CREATE TABLE incidents (
    id          text PRIMARY KEY,
    component   text NOT NULL,
    severity    text NOT NULL,
    status      text NOT NULL,
    title       text NOT NULL,
    policy      text,
    release     text,
    opened_at   bigint NOT NULL,
    resolved_at bigint
);

CREATE INDEX incidents_by_component ON incidents (component, opened_at);
CREATE INDEX incidents_by_opened_at ON incidents (opened_at);

CREATE TABLE timeline (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id text NOT NULL REFERENCES incidents (id),
    at          bigint NOT NULL,
    kind        text NOT NULL,
    message     text NOT NULL,
    actor       text NOT NULL
);

CREATE INDEX timeline_by_incident ON timeline (incident_id, at, seq);

CREATE TABLE rollbacks (
    id           text PRIMARY KEY,
    component    text NOT NULL,
    incident_id  text,
    from_version text,
    to_version   text NOT NULL,
    status       text NOT NULL,
    reason       text NOT NULL,
    requested_by text NOT NULL,
    requested_at bigint NOT NULL,
    started_at   bigint,
    finished_at  bigint,
    error        text
);

-- The per-component lease: at most one pending or running rollback per component.
CREATE UNIQUE INDEX rollbacks_one_active_per_component ON rollbacks (component) WHERE status IN ('pending', 'running');
CREATE INDEX rollbacks_by_requested_at ON rollbacks (requested_at);

CREATE TABLE rollback_steps (
    rollback_id text NOT NULL REFERENCES rollbacks (id),
    idx         integer NOT NULL,
    kind        text NOT NULL,
    spec        jsonb NOT NULL,
    status      text NOT NULL,
    attempts    integer NOT NULL DEFAULT 0,
    started_at  bigint,
    finished_at bigint,
    output      text,
    PRIMARY KEY (rollback_id, idx)
);

CREATE TABLE probe_samples (
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    component  text NOT NULL,
    probe      text NOT NULL,
    at         bigint NOT NULL,
    success    boolean NOT NULL,
    latency_ms double precision NOT NULL,
    error      text
);

CREATE INDEX probe_samples_by_probe ON probe_samples (component, probe, at);

CREATE TABLE id_counters (
    prefix text NOT NULL,
    day    text NOT NULL,
    value  bigint NOT NULL,
    PRIMARY KEY (prefix, day)
);
