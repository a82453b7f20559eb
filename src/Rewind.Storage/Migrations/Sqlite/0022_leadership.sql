-- PostgreSQL's 0022 adds the leader lease, the replicas and the write fence. A SQLite store has exactly one controller
-- (held by a lock on a file beside it, see ControllerLock): nothing to lease or fence. The replicas' table is kept in
-- step, holding the one controller, so status reads the same on both stores.
CREATE TABLE controller_replicas (
    name text PRIMARY KEY,
    host text NOT NULL,
    pid integer NOT NULL,
    version text NOT NULL,
    listen text,
    started_at bigint NOT NULL,
    seen_at bigint NOT NULL
);
