CREATE TABLE maintenance_windows (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    component   text NOT NULL,
    starts_at   bigint NOT NULL,
    ends_at     bigint NOT NULL,
    reason      text NOT NULL,
    declared_by text NOT NULL
);

CREATE INDEX maintenance_windows_by_component ON maintenance_windows (component, ends_at);
