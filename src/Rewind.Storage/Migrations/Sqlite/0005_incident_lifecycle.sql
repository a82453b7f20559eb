-- Acknowledgement (set once: when and by whom) and the false-positive verdict given when a person resolves an incident.
ALTER TABLE incidents ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE incidents ADD COLUMN acknowledged_by TEXT;
ALTER TABLE incidents ADD COLUMN false_positive INTEGER NOT NULL DEFAULT 0;
