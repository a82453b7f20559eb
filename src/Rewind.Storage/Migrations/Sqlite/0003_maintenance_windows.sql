CREATE TABLE maintenance_windows (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    component   TEXT NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    declared_by TEXT NOT NULL
);

CREATE INDEX maintenance_windows_by_component ON maintenance_windows (component, ends_at);
