-- The members of a batch step (functions, workers, sites), resolved when the step first runs, each with its own result,
-- so a resumed or re-run step calls only the members not yet rolled back, and none twice after it succeeded.
CREATE TABLE rollback_members (
    rollback_id TEXT NOT NULL REFERENCES rollbacks (id),
    step_idx    INTEGER NOT NULL,
    ord         INTEGER NOT NULL,
    member      TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    started_at  INTEGER,
    finished_at INTEGER,
    output      TEXT,
    PRIMARY KEY (rollback_id, step_idx, member)
);
