using System.Text.Json;

namespace Rewind.Bench.Backups;

/// <summary>The table, <c>bench/results/restore.json</c> and the headline line of the restore benchmark.</summary>
internal sealed class RestoreReport(string repository, RestoreScenario scenario, IReadOnlyList<RestoreSample> samples, int runs, string loadBefore, string loadAfter)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly (string Variant, string Label)[] Variants =
    [
        ("rewind", "rewind: PointInTimeRestore (wal fetch by the CLI)"),
        ("rewind-s3", "rewind, repository in object storage (s3rver)"),
        ("pgbackrest", "pgbackrest restore --type=time + postgres start"),
        ("pg_restore", "pg_restore -j 2 of pg_dump -Fc (backup's state)"),
        ("rewind-incr", "rewind from the incremental chain (2nd target)"),
        ("pgbackrest-incr", "pgbackrest restore of the incr backup (2nd target)"),
    ];

    public void Write()
    {
        Console.WriteLine(Pg.F($"  database bench {scenario.DatabaseBytes / 1e9:0.00} GB (pg_database_size; data directory {scenario.DataDirectoryBytes / 1e9:0.00} GB), pgbench scale {scenario.Source.Scale}; dump {scenario.DumpBytes / 1e6:0} MB"));
        Console.WriteLine(Pg.F($"  WAL after the backups: {scenario.WalSegmentsAfterBackup} segments of 16 MiB; target: the noted time {scenario.NotedTimeText}"));
        Console.WriteLine(Pg.F($"  {"restore (to the restored server out of recovery)",-50} {"median",8} {"min",8} {"max",8} {"files",8} {"recovery",8} {"total",8}"));
        var stats = new Dictionary<string, object>(StringComparer.Ordinal);
        var medians = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (variant, label) in Variants)
        {
            var mine = samples.Where(s => s.Variant == variant).ToList();
            var wall = Stats.Of([.. mine.Select(s => s.Seconds)]);
            var files = Stats.Of([.. mine.Select(s => s.FilesSeconds)]).Median;
            var recovery = Stats.Of([.. mine.Select(s => s.RecoverySeconds)]).Median;
            var total = Stats.Of([.. mine.Select(s => s.TotalSeconds)]).Median;
            medians[variant] = wall.Median;
            stats[variant] = new { seconds = wall, filesMedian = files, recoveryMedian = recovery, totalMedian = total };
            Console.WriteLine(Pg.F($"  {label,-50} {wall.Median,7:0.000}s {wall.Min,7:0.000}s {wall.Max,7:0.000}s {files,7:0.000}s {recovery,7:0.000}s {total,7:0.000}s"));
        }

        Console.WriteLine("  files: rewind's files phase (set chosen, files restored, checked, fsynced) / pgbackrest restore's run / pg_restore;");
        Console.WriteLine("  recovery: server start until out of recovery; total: rewind's whole call (it also stops the server cleanly),");
        Console.WriteLine("  pgbackrest's with its server stopped the same way, pg_restore's with initdb and start. Medians.");
        Console.WriteLine(Pg.F($"  setup: ") + string.Join(", ", scenario.SetupSeconds.Select(p => Pg.F($"{p.Key} {p.Value:0.0}s"))));
        Console.WriteLine(Pg.F($"  load average before {loadBefore}, after {loadAfter}"));

        var incremental = WriteIncremental(medians);
        var rewind = medians["rewind"];
        var pgbackrest = medians["pgbackrest"];
        var pgRestore = medians["pg_restore"];
        var objectStorage = medians["rewind-s3"];
        var json = JsonSerializer.Serialize(new
        {
            benchmark = "restore",
            runs,
            database = new { scale = scenario.Source.Scale, bytes = scenario.DatabaseBytes, dataDirectoryBytes = scenario.DataDirectoryBytes, dumpBytes = scenario.DumpBytes, walSegmentsAfterBackup = scenario.WalSegmentsAfterBackup },
            settings = new { compression = "gzip level 1 on both (rewind's default level; pgbackrest compress-level=1)", parallelism = 2, encryption = "none on either side", restoreCommand = "rewind wal fetch (CLI) / pgbackrest archive-get" },
            target = scenario.NotedTimeText,
            history = new { atBackup = scenario.HistoryAtBackup, atNotedTime = scenario.HistoryAtNotedTime, atEnd = scenario.HistoryAtEnd },
            setupSeconds = scenario.SetupSeconds,
            stats,
            pitrRatioVsPgBackRest = rewind / pgbackrest,
            pgRestoreRatio = rewind / pgRestore,
            objectStorageRatioVsLocal = objectStorage / rewind,
            objectStorageRatioVsPgBackRest = objectStorage / pgbackrest,
            incremental = incremental.Json,
            load = new { before = loadBefore, after = loadAfter },
            raw = samples,
        }, Indented);
        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        File.WriteAllText(Path.Combine(repository, "bench", "results", "restore.json"), json);
        Console.WriteLine(Pg.F($"pitr_ratio_vs_pgbackrest={rewind / pgbackrest:0.00} pg_restore_ratio={rewind / pgRestore:0.00} s3_ratio_vs_local={objectStorage / rewind:0.00} {incremental.Ratios} rewind_restore_s={rewind:0.000} rewind_s3_restore_s={objectStorage:0.000} pgbackrest_restore_s={pgbackrest:0.000} pg_restore_s={pgRestore:0.000} database_gb={scenario.DatabaseBytes / 1e9:0.00} wal_segments={scenario.WalSegmentsAfterBackup} scale={scenario.Source.Scale} runs={runs} {incremental.Figures}"));
    }

    /// <summary>The incremental case's lines (backups of both tools, full ones for reference), its JSON and its headline keys.</summary>
    private (object Json, string Ratios, string Figures) WriteIncremental(Dictionary<string, double> medians)
    {
        var history = scenario.Incremental;
        var (rewind, pgbackrest) = (history.Rewind, history.PgBackRest);
        Console.WriteLine(Pg.F($"  incremental case: {history.UpdatedAccounts} pgbench_accounts rows updated (aid <= 7 %), new table incr_extra ({IncrementalHistory.ExtraRows} rows); 2nd target {history.NotedTimeText}"));
        Console.WriteLine(Pg.F($"  {"backup",-50} {"seconds",8} {"stored",10}"));
        Console.WriteLine(Pg.F($"  {"rewind full (pg_basebackup + store)",-50} {scenario.SetupSeconds["rewind_backup"],7:0.000}s {history.RewindFullStoredBytes / 1e6,7:0.0} MB"));
        Console.WriteLine(Pg.F($"  {"pgbackrest backup --type=full",-50} {scenario.SetupSeconds["pgbackrest_backup"],7:0.000}s {history.PgBackRestFullStoredBytes / 1e6,7:0.0} MB"));
        Console.WriteLine(Pg.F($"  {"rewind incremental",-50} {rewind.Seconds,7:0.000}s {rewind.StoredBytes / 1e6,7:0.0} MB  (copy {rewind.CopySeconds:0.0}s, hash + store {rewind.StoreSeconds:0.0}s; {rewind.Detail})"));
        Console.WriteLine(Pg.F($"  {"pgbackrest backup --type=incr",-50} {pgbackrest.Seconds,7:0.000}s {pgbackrest.StoredBytes / 1e6,7:0.0} MB  ({pgbackrest.Detail})"));
        var (backupRatio, storedRatio) = (rewind.Seconds / pgbackrest.Seconds, (double)rewind.StoredBytes / pgbackrest.StoredBytes);
        var restoreRatio = medians["rewind-incr"] / medians["pgbackrest-incr"];
        var json = new
        {
            updatedAccounts = history.UpdatedAccounts,
            extraRows = IncrementalHistory.ExtraRows,
            target = history.NotedTimeText,
            rewind,
            pgbackrest,
            fullStoredBytes = new { rewind = history.RewindFullStoredBytes, pgbackrest = history.PgBackRestFullStoredBytes },
            backupRatioVsPgBackRest = backupRatio,
            storedRatioVsPgBackRest = storedRatio,
            restoreRatioVsPgBackRest = restoreRatio,
        };
        return (
            json,
            Pg.F($"incr_backup_ratio_vs_pgbackrest={backupRatio:0.00} incr_stored_ratio_vs_pgbackrest={storedRatio:0.00} incr_restore_ratio_vs_pgbackrest={restoreRatio:0.00}"),
            Pg.F($"rewind_incr_backup_s={rewind.Seconds:0.000} pgbackrest_incr_backup_s={pgbackrest.Seconds:0.000} rewind_incr_stored_mb={rewind.StoredBytes / 1e6:0.0} pgbackrest_incr_stored_mb={pgbackrest.StoredBytes / 1e6:0.0} rewind_incr_restore_s={medians["rewind-incr"]:0.000} pgbackrest_incr_restore_s={medians["pgbackrest-incr"]:0.000}"));
    }
}
