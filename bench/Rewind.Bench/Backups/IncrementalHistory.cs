using System.Diagnostics;
using System.Globalization;
using Rewind.Runtime.Backups;

namespace Rewind.Bench.Backups;

/// <summary>One incremental backup of a tool: wall seconds, bytes its repository gained, and (Rewind) the copy and store parts.</summary>
internal sealed record IncrementalBackupSample(string Tool, double Seconds, long StoredBytes, double CopySeconds, double StoreSeconds, string Detail);

/// <summary>
/// The incremental case of the <c>restore</c> benchmark, after the scenario's history: a known change (every
/// pgbench_accounts row with <c>aid</c> ≤ 7 % of the rows gets <c>filler = 'incr'</c>, and a new table <c>incr_extra</c>),
/// then a Rewind incremental (local repository) and a <c>pgbackrest backup --type=incr</c> of the same change, one after
/// the other with no write between; then sentinel rows 201–300, the second noted time, rows 301–400, and a WAL switch
/// archived to both. The restores from the chains target the second noted time.
/// </summary>
internal sealed class IncrementalHistory
{
    public const int ExtraRows = 200_000;

    public required long UpdatedAccounts { get; init; }

    public required DateTimeOffset NotedTime { get; init; }

    public required IncrementalBackupSample Rewind { get; init; }

    public required IncrementalBackupSample PgBackRest { get; init; }

    /// <summary>The full backups of both tools, for reference: bytes stored (Rewind's set, pgBackRest's backup).</summary>
    public required long RewindFullStoredBytes { get; init; }

    public required long PgBackRestFullStoredBytes { get; init; }

    public required string PgBackRestFullLabel { get; init; }

    public required string PgBackRestIncrementalLabel { get; init; }

    public string NotedTimeText => NotedTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00";

    public static async Task<IncrementalHistory> CreateAsync(RestoreScenario scenario)
    {
        var server = scenario.Source.Server;
        var updated = scenario.Source.AccountRows * 7 / 100;
        await server.ExecuteAsync(Pg.F($"update pgbench_accounts set filler = 'incr' where aid <= {updated}"), SourceDatabase.Database);
        await server.ExecuteAsync(Pg.F($"create table incr_extra as select g as id, md5(g::text) as note from generate_series(1, {ExtraRows}) g"), SourceDatabase.Database);
        await scenario.Source.WaitArchivedAsync(await scenario.Source.SwitchWalAsync());
        var fullStored = (await scenario.Repository().ListSetsAsync()).Single().TotalStoredSize;
        var rewind = await BackUpWithRewindAsync(scenario);
        var clock = Stopwatch.StartNew();
        await scenario.PgBackRest.BackupAsync("incr");
        var pgbackrestSeconds = clock.Elapsed.TotalSeconds;
        var backups = await scenario.PgBackRest.InfoAsync();
        await server.ExecuteAsync("insert into sentinel (id, phase) select g, 'before-incr-target' from generate_series(201, 300) g", SourceDatabase.Database);
        var noted = new DateTimeOffset(await server.ScalarAsync<DateTime>("select clock_timestamp()"), TimeSpan.Zero);
        await Task.Delay(100);
        await server.ExecuteAsync("insert into sentinel (id, phase) select g, 'after-incr-target' from generate_series(301, 400) g", SourceDatabase.Database);
        await scenario.Source.WaitArchivedAsync(await scenario.Source.SwitchWalAsync());
        var (full, incremental) = (backups.Single(b => b.Type == "full"), backups.Single(b => b.Type == "incr"));
        return new IncrementalHistory
        {
            UpdatedAccounts = updated,
            NotedTime = noted,
            Rewind = rewind,
            PgBackRest = new IncrementalBackupSample("pgbackrest", pgbackrestSeconds, incremental.RepositoryDelta, 0, 0, Pg.F($"backup {incremental.Label} on {full.Label}")),
            RewindFullStoredBytes = fullStored,
            PgBackRestFullStoredBytes = full.RepositoryDelta,
            PgBackRestFullLabel = full.Label,
            PgBackRestIncrementalLabel = incremental.Label,
        };
    }

    private static async Task<IncrementalBackupSample> BackUpWithRewindAsync(RestoreScenario scenario)
    {
        var backup = await new BaseBackup(scenario.Repository(), RestoreScenario.Tools).RunAsync(new BaseBackupRequest(scenario.Source.Server.Libpq()) { Label = "bench-incr", Incremental = true });
        if (!backup.Succeeded || backup.Manifest is not { Type: global::Rewind.Core.Backups.BackupType.Incremental } set)
        {
            throw new InvalidOperationException("rewind incremental backup failed or was not incremental: " + backup.Message);
        }

        var referenced = set.Files.Count(file => file.StoredIn is not null);
        return new IncrementalBackupSample(
            "rewind",
            backup.Duration.TotalSeconds,
            set.TotalStoredSize,
            backup.CopyDuration.TotalSeconds,
            backup.StoreDuration.TotalSeconds,
            Pg.F($"set {set.SetId} on {set.Parent}: {set.Files.Count - referenced} files stored ({(set.TotalSize - set.ReferencedSize) / 1e6:0} MB plain), {referenced} referenced ({set.ReferencedSize / 1e6:0} MB)"));
    }
}
