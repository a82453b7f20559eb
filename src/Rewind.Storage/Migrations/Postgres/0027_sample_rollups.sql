-- Probe samples kept by time. Raw rows (probe_samples) stay for samples.full-resolution, then live on as per-minute
-- rollups (rolled from raw) for samples.per-minute and per-hour rollups (rolled from minutes) for samples.per-hour.
-- A rollup row sums one probe's samples in one bucket: how many, how many failed, the latency sum, min and max, and
-- le_N: how many took at most N ms (cumulative; LatencyHistogram.Bounds), from which a percentile is read the same way
-- at any resolution. resolution is the bucket's length in seconds (60, 3600); bucket its start, unix milliseconds.
CREATE TABLE probe_rollups (
    component   text NOT NULL,
    probe       text NOT NULL,
    resolution  integer NOT NULL,
    bucket      bigint NOT NULL,
    count       integer NOT NULL,
    failures    integer NOT NULL,
    latency_sum double precision NOT NULL,
    latency_min double precision NOT NULL,
    latency_max double precision NOT NULL,
    le_1    integer NOT NULL,
    le_2    integer NOT NULL,
    le_3    integer NOT NULL,
    le_5    integer NOT NULL,
    le_10   integer NOT NULL,
    le_20   integer NOT NULL,
    le_30   integer NOT NULL,
    le_50   integer NOT NULL,
    le_100  integer NOT NULL,
    le_200  integer NOT NULL,
    le_300  integer NOT NULL,
    le_500  integer NOT NULL,
    le_1000 integer NOT NULL,
    le_2000 integer NOT NULL,
    le_3000 integer NOT NULL,
    le_5000 integer NOT NULL,
    PRIMARY KEY (component, probe, resolution, bucket)
);

-- The rollup job's range reads and its time-based deletes walk the time index, never the whole table.
CREATE INDEX probe_rollups_by_time ON probe_rollups (resolution, bucket);
CREATE INDEX probe_samples_by_time ON probe_samples (at);

-- How far each resolution is rolled: every bucket that starts before rolled_until is in probe_rollups.
CREATE TABLE rollup_progress (
    resolution    integer PRIMARY KEY,
    rolled_until  bigint NOT NULL
);
