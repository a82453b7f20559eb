-- The members of a batch step (functions, workers, sites), resolved when the step first runs, each with its own result,
-- so a resumed or re-run step calls only the members not yet rolled back, and none twice after it succeeded.
CREATE TABLE rollback_members (
    rollback_id text NOT NULL REFERENCES rollbacks (id),
    step_idx    integer NOT NULL,
    ord         integer NOT NULL,
    member      text NOT NULL,
    status      text NOT NULL,
    attempts    integer NOT NULL DEFAULT 0,
    started_at  bigint,
    finished_at bigint,
    output      text,
    PRIMARY KEY (rollback_id, step_idx, member)
);
