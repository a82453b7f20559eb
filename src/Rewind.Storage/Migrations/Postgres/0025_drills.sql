-- Game days (rewind drill): one row per run of a declared drill. components is ",a,b," so an incident opened on a
-- component can find the running drill that hits it. report is the drill report as JSON once the run is judged.
CREATE TABLE drill_runs (
    id           text PRIMARY KEY,
    drill        text NOT NULL,
    components   text NOT NULL,
    status       text NOT NULL,
    requested_by text NOT NULL,
    requested_at bigint NOT NULL,
    scheduled    boolean NOT NULL DEFAULT false,
    started_at   bigint,
    fault_at     bigint,
    finished_at  bigint,
    summary      text,
    report       text
);
CREATE INDEX drill_runs_by_drill ON drill_runs (drill, requested_at);
CREATE INDEX drill_runs_by_status ON drill_runs (status);

-- An incident opened on a component while a drill runs on it belongs to the drill: shown as such, kept out of the
-- real incidents' figures (time to detect and recover, false positives).
ALTER TABLE incidents ADD COLUMN drill_run text;
