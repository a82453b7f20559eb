-- A host's agent also runs jobs that belong to no rollback: the scheduled backups of a cluster on its host, the copy of a
-- files component's files when a release is recorded. Their attempts name the job (job.…) where a rollback's name the
-- rollback, so rollback_id no longer references rollbacks.
ALTER TABLE host_attempts DROP CONSTRAINT host_attempts_rollback_id_fkey;
CREATE INDEX host_attempts_by_rollback ON host_attempts (rollback_id);
