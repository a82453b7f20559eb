-- Acknowledgement (set once: when and by whom) and the false-positive verdict given when a person resolves an incident.
ALTER TABLE incidents
    ADD COLUMN acknowledged_at bigint,
    ADD COLUMN acknowledged_by text,
    ADD COLUMN false_positive  boolean NOT NULL DEFAULT false;
