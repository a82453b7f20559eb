CREATE TABLE components (
    name            TEXT PRIMARY KEY,
    provider        TEXT NOT NULL,
    current_version TEXT,
    current_since   INTEGER
);

CREATE TABLE releases (
    component   TEXT NOT NULL REFERENCES components (name),
    version     TEXT NOT NULL,
    state       TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    "commit"    TEXT,
    artifact    TEXT,
    recorded_by TEXT,
    stable_at   INTEGER,
    incident    TEXT,
    PRIMARY KEY (component, version)
);

CREATE TABLE incidents (
    id          TEXT PRIMARY KEY,
    component   TEXT NOT NULL,
    severity    TEXT NOT NULL,
    status      TEXT NOT NULL,
    title       TEXT NOT NULL,
    policy      TEXT,
    release     TEXT,
    opened_at   INTEGER NOT NULL,
    resolved_at INTEGER
);

CREATE INDEX incidents_by_component ON incidents (component, opened_at);
CREATE INDEX incidents_by_opened_at ON incidents (opened_at);

CREATE TABLE timeline (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    message     TEXT NOT NULL,
    actor       TEXT NOT NULL
);

CREATE INDEX timeline_by_incident ON timeline (incident_id, at, seq);

CREATE TABLE rollbacks (
    id           TEXT PRIMARY KEY,
    component    TEXT NOT NULL,
    incident_id  TEXT,
    from_version TEXT,
    to_version   TEXT NOT NULL,
    status       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    started_at   INTEGER,
    finished_at  INTEGER,
    error        TEXT
);

-- The per-component lease: at most one pending or running rollback per component.
CREATE UNIQUE INDEX rollbacks_one_active_per_component ON rollbacks (component) WHERE status IN ('pending', 'running');
CREATE INDEX rollbacks_by_requested_at ON rollbacks (requested_at);

CREATE TABLE rollback_steps (
    rollback_id TEXT NOT NULL REFERENCES rollbacks (id),
    idx         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    spec        TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    started_at  INTEGER,
    finished_at INTEGER,
    output      TEXT,
    PRIMARY KEY (rollback_id, idx)
);

CREATE TABLE probe_samples (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    component  TEXT NOT NULL,
    probe      TEXT NOT NULL,
    at         INTEGER NOT NULL,
    success    INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    error      TEXT
);

CREATE INDEX probe_samples_by_probe ON probe_samples (component, probe, at);

CREATE TABLE id_counters (
    prefix TEXT NOT NULL,
    day    TEXT NOT NULL,
    value  INTEGER NOT NULL,
    PRIMARY KEY (prefix, day)
);
