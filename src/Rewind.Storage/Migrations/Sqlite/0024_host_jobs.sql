-- A host's agent also runs jobs that belong to no rollback: the scheduled backups of a cluster on its host, the copy of a
-- files component's files when a release is recorded. Their attempts name the job (job.…) where a rollback's name the
-- rollback, so rollback_id no longer references rollbacks. SQLite cannot drop a constraint: the table is rebuilt.
CREATE TABLE host_attempts_0024 (
    id          TEXT PRIMARY KEY,
    rollback_id TEXT NOT NULL,
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
INSERT INTO host_attempts_0024 (id, rollback_id, step_idx, host, step, status, created_at, claimed_at, claimed_by, finished_at, output, late_report)
    SELECT id, rollback_id, step_idx, host, step, status, created_at, claimed_at, claimed_by, finished_at, output, late_report FROM host_attempts;
DROP TABLE host_attempts;
ALTER TABLE host_attempts_0024 RENAME TO host_attempts;
CREATE INDEX host_attempts_by_host ON host_attempts (host, status);
CREATE INDEX host_attempts_by_rollback ON host_attempts (rollback_id);

-- What a host's agent last measured of the backup repository of a cluster on that host (the controller cannot read
-- it there), for the backup signals: newest WAL archived, newest base backup finished, or why it could not be read.
-- received_at is the controller's clock.
CREATE TABLE host_backup_states (
    component   TEXT PRIMARY KEY,
    host        TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    newest_wal  INTEGER,
    newest_set  INTEGER,
    error       TEXT
);
