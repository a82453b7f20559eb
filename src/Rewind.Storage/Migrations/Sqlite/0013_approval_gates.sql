-- Approvals given at an approval step (a gate in the middle of a plan) are kept apart from those of the authorisation
-- matrix: gate is the step's index, -1 for the matrix; each person decides once per gate. SQLite cannot change a primary
-- key in place, so the table is rebuilt; nothing references it.
CREATE TABLE rollback_approvals_0013 (
    rollback_id TEXT NOT NULL REFERENCES rollbacks (id),
    gate        INTEGER NOT NULL DEFAULT -1,
    approver    TEXT NOT NULL,
    roles       TEXT NOT NULL,
    approved    INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    note        TEXT NOT NULL,
    PRIMARY KEY (rollback_id, gate, approver)
);
INSERT INTO rollback_approvals_0013 (rollback_id, gate, approver, roles, approved, at, note)
    SELECT rollback_id, -1, approver, roles, approved, at, note FROM rollback_approvals;
DROP TABLE rollback_approvals;
ALTER TABLE rollback_approvals_0013 RENAME TO rollback_approvals;
