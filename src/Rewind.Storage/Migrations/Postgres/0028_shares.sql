-- Share leases. Every replica of a PostgreSQL store holds one and watches (probes) the components that rendezvous
-- hashing over the replicas holding a live share gives it. A row says: the members this replica assigns over (a JSON
-- array: whatever it claims follows from it), how many components it watches, and a counter that each renewal raises.
-- Whether a share is live is judged by each reader on its own clock (the counter has moved within the lease), never by
-- comparing two hosts' clocks; renewed_at (milliseconds, on the holder's clock) is for people.
CREATE TABLE controller_shares (
    replica    text PRIMARY KEY,
    renewals   bigint NOT NULL,
    members    text NOT NULL,
    components integer NOT NULL,
    renewed_at bigint NOT NULL
);

-- The replica that probed a sample (null: one written before shares, or by a SQLite store's one controller). The leader
-- tails probe_samples by seq and decides on those another replica probed.
ALTER TABLE probe_samples ADD COLUMN replica text;
