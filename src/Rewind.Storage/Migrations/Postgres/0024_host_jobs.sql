-- A host's agent also runs jobs that belong to no rollback: the scheduled backups of a cluster on its host, the copy of a
-- files component's files when a release is recorded. Their attempts name the job (job.…) where a rollback's name the
-- rollback, so rollback_id no longer references rollbacks.
ALTER TABLE host_attempts DROP CONSTRAINT host_attempts_rollback_id_fkey;
CREATE INDEX host_attempts_by_rollback ON host_attempts (rollback_id);

-- What a host's agent last measured of the backup repository of a cluster on that host (the controller cannot read
-- it there), for the backup signals: newest WAL archived, newest base backup finished, or why it could not be read.
-- received_at is the controller's clock.
CREATE TABLE host_backup_states (
    component   text PRIMARY KEY,
    host        text NOT NULL,
    received_at bigint NOT NULL,
    newest_wal  bigint,
    newest_set  bigint,
    error       text
);
