-- Scheduled backups, quick verifications and restore drills of each component, with their outcome: what status shows
-- and what the next scheduled run is counted from.
CREATE TABLE backup_runs (
    component   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    succeeded   INTEGER NOT NULL,
    summary     TEXT NOT NULL,
    PRIMARY KEY (component, kind, started_at)
);
