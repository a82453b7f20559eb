-- Scheduled backups, quick verifications and restore drills of each component, with their outcome: what status shows
-- and what the next scheduled run is counted from.
CREATE TABLE backup_runs (
    component   text NOT NULL,
    kind        text NOT NULL,
    started_at  bigint NOT NULL,
    finished_at bigint NOT NULL,
    succeeded   bigint NOT NULL,
    summary     text NOT NULL,
    PRIMARY KEY (component, kind, started_at)
);
