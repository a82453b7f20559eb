-- The process groups a step has running, recorded right after each starts and cleared when it is gone: a controller
-- killed mid-step leaves them here, and the one that resumes (or aborts) the step ends them first. The leader's start
-- time (clock ticks after boot) and the boot id tell the same process from a later one given the same id.
CREATE TABLE step_processes (
    rollback_id       text NOT NULL REFERENCES rollbacks (id),
    step_idx          integer NOT NULL,
    boot_id           text NOT NULL,
    group_id          integer NOT NULL,
    leader_start_time bigint NOT NULL,
    host              text NOT NULL,
    executable        text NOT NULL,
    started_at        bigint NOT NULL,
    PRIMARY KEY (rollback_id, step_idx, boot_id, group_id)
);
