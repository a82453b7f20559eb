-- Per-release traffic totals: the baseline of the regression test survives a restart of the controller.
CREATE TABLE release_traffic (
    component  text NOT NULL,
    version    text NOT NULL,
    requests   double precision NOT NULL,
    bad        double precision NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (component, version)
);
