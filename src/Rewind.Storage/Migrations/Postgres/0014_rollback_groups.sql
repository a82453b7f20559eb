-- Rollbacks of a group of components run one after the other: each member names the group and the rollback it waits
-- for; it runs when that one succeeded and is cancelled, untouched, when that one did not.
ALTER TABLE rollbacks ADD COLUMN group_name text;
ALTER TABLE rollbacks ADD COLUMN waits_for text;
CREATE INDEX rollbacks_waits_for ON rollbacks (waits_for) WHERE waits_for IS NOT NULL;
