namespace Rewind.Bench.Backups;

/// <summary>
/// Point-in-time restore of a generated pgbench database (scale 100, ≈ 1.5 GB; 5 with --quick) to a noted time,
/// side by side in one run: Rewind's restore, <c>pgbackrest restore</c>, and <c>pg_restore -j 2</c> of a dump taken
/// with the base backups. Each is timed until the restored server accepts connections out of recovery, and checked.
/// Then the incremental case: a Rewind incremental and a <c>pgbackrest backup --type=incr</c> of the same change, timed
/// and sized, and a restore from each chain.
/// See docs/benchmarks.md.
/// </summary>
internal sealed class RestoreBenchmark(bool quick, string repository)
{
    public int Scale => quick ? 5 : 100;

    public int Runs => quick ? 1 : 3;

    /// <summary>pgbench transactions per client (2 clients) before the noted time; half as many after it.</summary>
    public int Transactions => quick ? 2_000 : 20_000;

    public async Task<int> RunAsync()
    {
        var cli = Path.Combine(repository, ".artifacts", "bin", "Rewind.Cli", "release", "rewind");
        if (!File.Exists(cli) || !File.Exists(PgBackRest.Program) || !File.Exists(ObjectStore.Program(repository)))
        {
            Console.Error.WriteLine($"restore benchmark: needs {cli} (./rewind --help builds it), {PgBackRest.Program} and {ObjectStore.Program(repository)} (bench/run installs them)");
            return 2;
        }

        var root = Directory.CreateTempSubdirectory("rewind-bench-restore-").FullName;
        var loadBefore = Load();
        Console.WriteLine(Pg.F($"restore benchmark: pgbench scale {Scale}, {Runs} run(s) of each restore; load average {loadBefore}"));
        RestoreScenario? scenario = null;
        await using var objects = await ObjectStore.StartAsync(repository, Path.Combine(root, "s3"));
        try
        {
            await Pg.GiveAsync(root);
            scenario = await RestoreScenario.CreateAsync(root, cli, objects, Scale, Transactions);
            Console.Error.WriteLine(Pg.F($"database {scenario.DatabaseBytes / 1e9:0.00} GB, data directory {scenario.DataDirectoryBytes / 1e9:0.00} GB, {scenario.WalSegmentsAfterBackup} WAL segments after the backups; noted time {scenario.NotedTimeText}; setup ") + string.Join(", ", scenario.SetupSeconds.Select(p => Pg.F($"{p.Key} {p.Value:0.0}s"))));
            var runs = new RestoreRuns(scenario);
            var samples = new List<RestoreSample>();
            for (var run = 1; run <= Runs; run++)
            {
                // Alternate which physical restore goes first, so neither always meets the colder page cache.
                Func<int, Task<RestoreSample>>[] order = run % 2 == 1
                    ? [runs.RewindAsync, runs.RewindObjectStorageAsync, runs.PgBackRestAsync, runs.PgRestoreAsync, runs.RewindIncrementalAsync, runs.PgBackRestIncrementalAsync]
                    : [runs.PgBackRestAsync, runs.RewindObjectStorageAsync, runs.RewindAsync, runs.PgRestoreAsync, runs.PgBackRestIncrementalAsync, runs.RewindIncrementalAsync];
                foreach (var restore in order)
                {
                    var sample = await restore(run);
                    samples.Add(sample);
                    Console.Error.WriteLine(Pg.F($"run {run}/{Runs}: {sample.Variant} {sample.Seconds:0.000}s (files {sample.FilesSeconds:0.000}s, recovery {sample.RecoverySeconds:0.000}s); {sample.Checked}"));
                }
            }

            new RestoreReport(repository, scenario, samples, Runs, loadBefore, Load()).Write();
            return 0;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine("restore benchmark FAILED: " + ex.Message);
            return 1;
        }
        finally
        {
            if (scenario?.Source is { } source)
            {
                await source.DisposeAsync();
            }

            Pg.Remove(root);
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages, as uptime prints them.</summary>
    public static string Load() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
