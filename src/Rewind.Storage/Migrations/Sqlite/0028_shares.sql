-- PostgreSQL's 0028 adds the share leases of replicas. A SQLite store has exactly one controller, which holds the only
-- share and watches every component without writing it down; the table and the samples' replica column are kept in
-- step so that both stores read alike.
CREATE TABLE controller_shares (
    replica    text PRIMARY KEY,
    renewals   bigint NOT NULL,
    members    text NOT NULL,
    components integer NOT NULL,
    renewed_at bigint NOT NULL
);

ALTER TABLE probe_samples ADD COLUMN replica text;
