using System.Diagnostics;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;

namespace Rewind.Bench.Backups;

/// <summary>One timed restore: seconds until the restored server accepted connections out of recovery, and its parts.</summary>
internal sealed record RestoreSample(string Variant, int Run, double Seconds, double FilesSeconds, double RecoverySeconds, double TotalSeconds, string Checked);

/// <summary>
/// The restores of the <c>restore</c> benchmark (three from the full backups, two from the incremental chains), each into a fresh directory, timed from its start until the
/// restored server accepts connections with recovery finished, then checked (untimed) and deleted.
/// </summary>
internal sealed class RestoreRuns(RestoreScenario scenario)
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The same server settings on both physical restores: never archive from a restored cluster.</summary>
    private static readonly Dictionary<string, string> NoArchiving = new(StringComparer.Ordinal) { ["archive_command"] = "", ["archive_library"] = "" };

    private string Restores => Path.Combine(scenario.Root, "restores");

    /// <summary>(a) Rewind's PointInTimeRestore, SwapIntoPlace off; "promoted" is when it reports it has left recovery.</summary>
    public Task<RestoreSample> RewindAsync(int run) => RewindAsync("rewind", scenario.Repository(), scenario.FetchCommand, run);

    /// <summary>(a') The same from the repository in object storage (s3rver on loopback): every file downloaded, checked while written.</summary>
    public Task<RestoreSample> RewindObjectStorageAsync(int run) => RewindAsync("rewind-s3", scenario.ObjectRepositoryOf(), scenario.ObjectFetchCommand, run);

    /// <summary>(d) Rewind's restore to the second noted time: from the incremental set, its unchanged files read from the full set.</summary>
    public Task<RestoreSample> RewindIncrementalAsync(int run) =>
        RewindAsync("rewind-incr", scenario.Repository(), scenario.FetchCommand, run, scenario.Incremental.NotedTime, CheckIncrementalAsync);

    private Task<RestoreSample> RewindAsync(string variant, BackupRepository repository, IReadOnlyList<string> fetchCommand, int run) =>
        RewindAsync(variant, repository, fetchCommand, run, scenario.NotedTime, CheckPointInTimeAsync);

    private async Task<RestoreSample> RewindAsync(
        string variant, BackupRepository repository, IReadOnlyList<string> fetchCommand, int run, DateTimeOffset target, Func<BenchServer, string, Task<string>> check)
    {
        Directory.CreateDirectory(Restores);
        var restore = new PointInTimeRestore(repository, RestoreScenario.Tools);
        var phases = new PhaseClock();
        var request = new RestoreRequest(Path.Combine(Restores, variant), RestoreTarget.AtTime(target), fetchCommand)
        {
            SwapIntoPlace = false,
            RecoveryTimeout = RecoveryTimeout,
        };
        var result = await restore.RestoreAsync(request, phases);
        var total = phases.Elapsed;
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"rewind restore failed ({result.Phase}): {result.Message}\n{result.ServerLog}");
        }

        var promoted = phases.At(RestorePhase.Verifying);
        var files = result.FilesDuration.TotalSeconds;
        await using (var server = BenchServer.Start(result.RestoredDirectory!, NoArchiving))
        {
            await server.WaitUntilPromotedAsync(TimeSpan.FromMinutes(5));
            var checkedText = await check(server, variant);
            await server.StopAsync();
            Pg.Remove(result.RestoredDirectory!);
            return new RestoreSample(variant, run, promoted, files, promoted - phases.At(RestorePhase.Recovering), total, checkedText);
        }
    }

    /// <summary>(b) <c>pgbackrest restore --type=time --target-action=promote</c> of the full backup into a new pg1-path, then postgres started on it.</summary>
    public Task<RestoreSample> PgBackRestAsync(int run) =>
        PgBackRestAsync("pgbackrest", run, scenario.Incremental.PgBackRestFullLabel, scenario.NotedTimeText, CheckPointInTimeAsync);

    /// <summary>(e) The same of the incremental backup, to the second noted time.</summary>
    public Task<RestoreSample> PgBackRestIncrementalAsync(int run) =>
        PgBackRestAsync("pgbackrest-incr", run, scenario.Incremental.PgBackRestIncrementalLabel, scenario.Incremental.NotedTimeText, CheckIncrementalAsync);

    private async Task<RestoreSample> PgBackRestAsync(string variant, int run, string set, string target, Func<BenchServer, string, Task<string>> check)
    {
        Directory.CreateDirectory(Restores);
        var directory = await Pg.DirectoryAsync(Restores, variant);
        var clock = Stopwatch.StartNew();
        await scenario.PgBackRest.RestoreAsync(directory, target, set);
        var files = clock.Elapsed.TotalSeconds;
        await using var server = BenchServer.Start(directory, NoArchiving);
        await server.WaitUntilPromotedAsync(RecoveryTimeout);
        var promoted = clock.Elapsed.TotalSeconds;
        var checkedText = await check(server, variant);
        await server.StopAsync();
        var total = clock.Elapsed.TotalSeconds;
        Pg.Remove(directory);
        return new RestoreSample(variant, run, promoted, files, promoted - files, total, checkedText);
    }

    /// <summary>(c) <c>pg_restore -j 2 --create</c> of the dump into a fresh initdb'd, started cluster; the clock starts once it accepts connections.</summary>
    public async Task<RestoreSample> PgRestoreAsync(int run)
    {
        Directory.CreateDirectory(Restores);
        var directory = Path.Combine(Restores, "pg_restore");
        var setup = Stopwatch.StartNew();
        await Pg.DirectoryAsync(Restores, "pg_restore");
        await Pg.RunAsync(Pg.Command("initdb", "-D", directory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"));
        await using var server = BenchServer.Start(directory);
        await server.WaitUntilPromotedAsync(TimeSpan.FromMinutes(1));
        var initdb = setup.Elapsed.TotalSeconds;
        var clock = Stopwatch.StartNew();
        await Pg.RunAsync(Pg.Command("pg_restore", "-j", "2", "--create", "-d", server.Libpq(), scenario.DumpFile));
        var restored = clock.Elapsed.TotalSeconds;
        var accounts = await server.ScalarAsync<long>("select count(*) from pgbench_accounts", SourceDatabase.Database);
        var history = await server.ScalarAsync<long>("select count(*) from pgbench_history", SourceDatabase.Database);
        var sentinel = await server.ScalarAsync<long>("select count(*) from sentinel", SourceDatabase.Database);
        Expect("pg_restore", accounts == scenario.Source.AccountRows && history == scenario.HistoryAtBackup && sentinel == 0,
            $"accounts {accounts} (want {scenario.Source.AccountRows}), history {history} (want {scenario.HistoryAtBackup}, the dump's), sentinel {sentinel} (want 0)");
        await server.StopAsync();
        Pg.Remove(directory);
        return new RestoreSample("pg_restore", run, restored, restored, 0, restored + initdb, Pg.F($"accounts {accounts}, history {history} (the dump's), sentinel {sentinel}; initdb + start {initdb:0.0} s untimed"));
    }

    /// <summary>Exactly the state at the noted time: every account, the history rows then, sentinel rows 1–100 and no later one.</summary>
    private async Task<string> CheckPointInTimeAsync(BenchServer server, string variant)
    {
        var accounts = await server.ScalarAsync<long>("select count(*) from pgbench_accounts", SourceDatabase.Database);
        var history = await server.ScalarAsync<long>("select count(*) from pgbench_history", SourceDatabase.Database);
        var sentinel = await server.ScalarAsync<long>("select count(*) from sentinel", SourceDatabase.Database);
        var maxSentinel = await server.ScalarAsync<int>("select coalesce(max(id), 0) from sentinel", SourceDatabase.Database);
        Expect(variant, accounts == scenario.Source.AccountRows && history == scenario.HistoryAtNotedTime && sentinel == 100 && maxSentinel == 100,
            $"accounts {accounts} (want {scenario.Source.AccountRows}), history {history} (want {scenario.HistoryAtNotedTime}), sentinel {sentinel} rows up to {maxSentinel} (want 100 up to 100)");
        return Pg.F($"accounts {accounts}, history {history}, sentinel 1..{maxSentinel}");
    }

    /// <summary>Exactly the state at the second noted time: the change of the incremental case, sentinel rows 1–300 and no later one.</summary>
    private async Task<string> CheckIncrementalAsync(BenchServer server, string variant)
    {
        var updated = await server.ScalarAsync<long>("select count(*) from pgbench_accounts where filler like 'incr%'", SourceDatabase.Database);
        var extra = await server.ScalarAsync<long>("select count(*) from incr_extra", SourceDatabase.Database);
        var sentinel = await server.ScalarAsync<long>("select count(*) from sentinel", SourceDatabase.Database);
        var maxSentinel = await server.ScalarAsync<int>("select coalesce(max(id), 0) from sentinel", SourceDatabase.Database);
        Expect(variant, updated == scenario.Incremental.UpdatedAccounts && extra == IncrementalHistory.ExtraRows && sentinel == 300 && maxSentinel == 300,
            $"updated accounts {updated} (want {scenario.Incremental.UpdatedAccounts}), incr_extra {extra} (want {IncrementalHistory.ExtraRows}), sentinel {sentinel} rows up to {maxSentinel} (want 300 up to 300)");
        return Pg.F($"updated accounts {updated}, incr_extra {extra}, sentinel 1..{maxSentinel}");
    }

    private static void Expect(string variant, bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{variant}: the restored database is wrong: {what}");
        }
    }

    /// <summary>Records when each phase of Rewind's restore began, synchronously (Progress&lt;T&gt; would post it later).</summary>
    private sealed class PhaseClock : IProgress<RestorePhase>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Dictionary<RestorePhase, double> _at = [];

        public double Elapsed => _clock.Elapsed.TotalSeconds;

        public void Report(RestorePhase value)
        {
            lock (_at)
            {
                _at.TryAdd(value, _clock.Elapsed.TotalSeconds);
            }
        }

        public double At(RestorePhase phase)
        {
            lock (_at)
            {
                return _at.TryGetValue(phase, out var at) ? at : throw new InvalidOperationException($"rewind's restore never reported {phase}");
            }
        }
    }
}
