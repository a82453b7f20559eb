-- A person asked to stop a pending or running rollback: who and why. Durable, so a controller that restarts before the
-- executor saw it stops the rollback instead of resuming it.
ALTER TABLE rollbacks ADD COLUMN abort_requested_by text;
ALTER TABLE rollbacks ADD COLUMN abort_reason text;
