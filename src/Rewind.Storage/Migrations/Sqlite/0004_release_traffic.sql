-- Per-release traffic totals: the baseline of the regression test survives a restart of the controller.
CREATE TABLE release_traffic (
    component  TEXT NOT NULL,
    version    TEXT NOT NULL,
    requests   REAL NOT NULL,
    bad        REAL NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (component, version)
);
