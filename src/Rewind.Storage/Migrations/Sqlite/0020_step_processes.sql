-- The process groups a step has running, recorded right after each starts and cleared when it is gone: a controller
-- killed mid-step leaves them here, and the one that resumes (or aborts) the step ends them first. The leader's start
-- time (clock ticks after boot) and the boot id tell the same process from a later one given the same id.
CREATE TABLE step_processes (
    rollback_id       TEXT NOT NULL REFERENCES rollbacks (id),
    step_idx          INTEGER NOT NULL,
    boot_id           TEXT NOT NULL,
    group_id          INTEGER NOT NULL,
    leader_start_time INTEGER NOT NULL,
    host              TEXT NOT NULL,
    executable        TEXT NOT NULL,
    started_at        INTEGER NOT NULL,
    PRIMARY KEY (rollback_id, step_idx, boot_id, group_id)
);
