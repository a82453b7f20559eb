-- Probe samples kept by time. Raw rows (probe_samples) stay for samples.full-resolution, then live on as per-minute
-- rollups (rolled from raw) for samples.per-minute and per-hour rollups (rolled from minutes) for samples.per-hour.
-- A rollup row sums one probe's samples in one bucket: how many, how many failed, the latency sum, min and max, and
-- le_N: how many took at most N ms (cumulative; LatencyHistogram.Bounds), from which a percentile is read the same way
-- at any resolution. resolution is the bucket's length in seconds (60, 3600); bucket its start, unix milliseconds.
CREATE TABLE probe_rollups (
    component   TEXT NOT NULL,
    probe       TEXT NOT NULL,
    resolution  INTEGER NOT NULL,
    bucket      INTEGER NOT NULL,
    count       INTEGER NOT NULL,
    failures    INTEGER NOT NULL,
    latency_sum REAL NOT NULL,
    latency_min REAL NOT NULL,
    latency_max REAL NOT NULL,
    le_1    INTEGER NOT NULL,
    le_2    INTEGER NOT NULL,
    le_3    INTEGER NOT NULL,
    le_5    INTEGER NOT NULL,
    le_10   INTEGER NOT NULL,
    le_20   INTEGER NOT NULL,
    le_30   INTEGER NOT NULL,
    le_50   INTEGER NOT NULL,
    le_100  INTEGER NOT NULL,
    le_200  INTEGER NOT NULL,
    le_300  INTEGER NOT NULL,
    le_500  INTEGER NOT NULL,
    le_1000 INTEGER NOT NULL,
    le_2000 INTEGER NOT NULL,
    le_3000 INTEGER NOT NULL,
    le_5000 INTEGER NOT NULL,
    PRIMARY KEY (component, probe, resolution, bucket)
) WITHOUT ROWID;

-- The rollup job's range reads and its time-based deletes walk the time index, never the whole table.
CREATE INDEX probe_rollups_by_time ON probe_rollups (resolution, bucket);
CREATE INDEX probe_samples_by_time ON probe_samples (at);

-- How far each resolution is rolled: every bucket that starts before rolled_until is in probe_rollups.
CREATE TABLE rollup_progress (
    resolution    INTEGER PRIMARY KEY,
    rolled_until  INTEGER NOT NULL
);
