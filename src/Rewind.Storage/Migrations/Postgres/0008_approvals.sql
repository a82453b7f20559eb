-- Rollbacks waiting for approval hold the component's lease too; and the approvals given or refused.
DROP INDEX rollbacks_one_active_per_component;
CREATE UNIQUE INDEX rollbacks_one_active_per_component ON rollbacks (component) WHERE status IN ('pending', 'running', 'awaiting');

CREATE TABLE rollback_approvals (
    rollback_id text NOT NULL REFERENCES rollbacks (id),
    approver    text NOT NULL,
    roles       text NOT NULL,
    approved    bigint NOT NULL,
    at          bigint NOT NULL,
    note        text NOT NULL,
    PRIMARY KEY (rollback_id, approver)
);
