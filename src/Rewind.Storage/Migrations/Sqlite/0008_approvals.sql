-- Rollbacks waiting for approval hold the component's lease too; and the approvals given or refused.
DROP INDEX rollbacks_one_active_per_component;
CREATE UNIQUE INDEX rollbacks_one_active_per_component ON rollbacks (component) WHERE status IN ('pending', 'running', 'awaiting');

CREATE TABLE rollback_approvals (
    rollback_id TEXT NOT NULL REFERENCES rollbacks (id),
    approver    TEXT NOT NULL,
    roles       TEXT NOT NULL,
    approved    INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    note        TEXT NOT NULL,
    PRIMARY KEY (rollback_id, approver)
);
