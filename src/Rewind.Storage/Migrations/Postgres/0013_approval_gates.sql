-- Approvals given at an approval step (a gate in the middle of a plan) are kept apart from those of the authorisation
-- matrix: gate is the step's index, -1 for the matrix; each person decides once per gate.
ALTER TABLE rollback_approvals ADD COLUMN gate integer NOT NULL DEFAULT -1;
ALTER TABLE rollback_approvals DROP CONSTRAINT rollback_approvals_pkey;
ALTER TABLE rollback_approvals ADD PRIMARY KEY (rollback_id, gate, approver);
