-- A rollback keeps the limit on its whole plan (the component's plan-timeout when it was planned) and the policy whose
-- plan it runs, so a resumed rollback keeps the same deadline and the record says which plan ran.
ALTER TABLE rollbacks ADD COLUMN plan_timeout_ms bigint;
ALTER TABLE rollbacks ADD COLUMN plan_policy text;
