-- Replicas and one leader. The lease is one row: who holds it, an epoch that only grows, and when it runs out, all on
-- the database's clock. backend_pid/backend_start name the holder's lease session, so a replica whose process died
-- (its session ended) is replaced at once rather than when the lease runs out.
CREATE TABLE controller_lease (
    id integer PRIMARY KEY CHECK (id = 1),
    holder text,
    epoch bigint NOT NULL DEFAULT 0,
    backend_pid integer,
    backend_start timestamptz,
    acquired_at timestamptz,
    renewed_at timestamptz,
    expires_at timestamptz
);
INSERT INTO controller_lease (id) VALUES (1);
-- The epoch is a key, so that changing it (a takeover) conflicts with the fence's FOR KEY SHARE, while a renewal (its
-- times only) does not wait for the leader's own writes.
CREATE UNIQUE INDEX controller_lease_epoch ON controller_lease (epoch);

-- Every controller process using the store, as it last said it was alive (milliseconds, each on its own clock).
CREATE TABLE controller_replicas (
    name text PRIMARY KEY,
    host text NOT NULL,
    pid integer NOT NULL,
    version text NOT NULL,
    listen text,
    started_at bigint NOT NULL,
    seen_at bigint NOT NULL
);

-- The fence. A session opened by a leader for its writes carries its epoch in the setting rewind.epoch (a startup
-- option, kept across pool resets). Every statement that writes a table of the store checks it against the lease row
-- in the statement's own transaction, holding that row FOR KEY SHARE until the commit: a takeover (which changes the
-- epoch, a key) waits for the write, and a write after a takeover is refused; a renewal does not wait. Sessions without the setting (the API's, for a
-- person's request on any replica) are not fenced.
CREATE FUNCTION rewind_fence() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    wanted text := current_setting('rewind.epoch', true);
    lease record;
BEGIN
    IF wanted IS NULL OR wanted = '' THEN
        RETURN NULL;
    END IF;
    SELECT epoch, expires_at INTO lease FROM controller_lease WHERE id = 1 FOR KEY SHARE;
    IF lease.epoch IS DISTINCT FROM wanted::bigint THEN
        RAISE EXCEPTION 'stale leader: this write carries epoch %, the lease is at epoch %', wanted, lease.epoch
            USING ERRCODE = 'RW001';
    END IF;
    IF lease.expires_at IS NULL OR lease.expires_at <= clock_timestamp() THEN
        RAISE EXCEPTION 'stale leader: the lease of epoch % ran out at %', wanted, lease.expires_at
            USING ERRCODE = 'RW001';
    END IF;
    RETURN NULL;
END $$;

-- Puts the fence on every table of the store that lacks it, but the lease, the replicas and the migrations; run after
-- each migration, so a table added later is fenced too (a table already fenced is left alone: no lock taken).
CREATE FUNCTION rewind_install_fences() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
               AND c.relname NOT IN ('controller_lease', 'controller_replicas', 'schema_migrations')
               AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'rewind_fence')
    LOOP
        EXECUTE format('CREATE TRIGGER rewind_fence BEFORE INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT EXECUTE FUNCTION rewind_fence()', t);
    END LOOP;
END $$;
