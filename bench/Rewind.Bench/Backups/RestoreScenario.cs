using System.Diagnostics;
using System.Globalization;
using Rewind.Runtime.Backups;

namespace Rewind.Bench.Backups;

/// <summary>
/// The history every restore of the <c>restore</c> benchmark goes back into: the generated database archiving every WAL
/// segment to Rewind's repository (<c>rewind wal push</c>) and to pgBackRest's (<c>archive-push</c>), chained in one
/// archive_command, and to a Rewind repository in object storage (s3rver on loopback, <see cref="ObjectStore"/>); a Rewind
/// base backup into each repository, a pgBackRest full backup and a <c>pg_dump -Fc</c> taken one after the other
/// with no write between them; then pgbench transactions, sentinel rows 1–100, the noted time, sentinel rows 101–200,
/// more pgbench transactions, and a WAL switch archived to both. Then the incremental case (<see cref="IncrementalHistory"/>).
/// </summary>
internal sealed class RestoreScenario
{
    public const string Component = "db";

    private RestoreScenario(string root, string cli, ObjectStore objects) => (Root, Cli, Objects) = (root, cli, objects);

    /// <summary>The S3-compatible server of the object-storage repository.</summary>
    public ObjectStore Objects { get; }

    public static string ObjectRepository => $"s3://{ObjectStore.Bucket}/db";

    public string RewindObjectConfig => Path.Combine(Root, "rewind-s3.yaml");

    public string Root { get; }

    /// <summary>The Rewind CLI: PostgreSQL runs its <c>wal push</c> and <c>wal fetch</c>.</summary>
    public string Cli { get; }

    public string RewindRepository => Path.Combine(Root, "rewind-repo");

    public string RewindConfig => Path.Combine(Root, "rewind.yaml");

    public string DumpFile => Path.Combine(Root, "dump", "bench.dump");

    public SourceDatabase Source { get; private set; } = null!;

    public PgBackRest PgBackRest { get; private set; } = null!;

    public long DatabaseBytes { get; private set; }

    public long DataDirectoryBytes { get; private set; }

    public long DumpBytes { get; private set; }

    public DateTimeOffset NotedTime { get; private set; }

    /// <summary>pgbench_history rows at the backups (and the dump), and at the noted time.</summary>
    public long HistoryAtBackup { get; private set; }

    public long HistoryAtNotedTime { get; private set; }

    public long HistoryAtEnd { get; private set; }

    public int WalSegmentsAfterBackup { get; private set; }

    /// <summary>The incremental case: the change, both tools' incremental backups, the second noted time.</summary>
    public IncrementalHistory Incremental { get; private set; } = null!;

    public Dictionary<string, double> SetupSeconds { get; } = new(StringComparer.Ordinal);

    /// <summary>The noted time as both tools take it: <c>YYYY-MM-DD HH:MM:SS.ffffff+00</c>.</summary>
    public string NotedTimeText => NotedTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00";

    public BackupRepository Repository() =>
        new(new BackupRepositoryOptions(RewindRepository) { Compression = Rewind.Core.Backups.StoredCompression.Gzip, Parallelism = 2 });

    /// <summary>The repository in object storage, with the same compression and parallelism as the local one.</summary>
    public BackupRepository ObjectRepositoryOf() =>
        new(new BackupRepositoryOptions(ObjectRepository)
        {
            Compression = Rewind.Core.Backups.StoredCompression.Gzip,
            Parallelism = 2,
            ObjectStorage = new ObjectStorageOptions { Endpoint = Objects.Endpoint, AccessKey = "S3RVER", SecretKey = "S3RVER", WorkDirectory = Path.Combine(Root, "s3-work") },
        });

    public static PostgresToolOptions Tools => new(Pg.Bin) { RunAsUser = Pg.User };

    /// <summary>The restore_command Rewind's restore writes (<c>%f "%p"</c> appended): the CLI users run.</summary>
    public IReadOnlyList<string> FetchCommand => [Cli, "wal", "fetch", Component, "--config", RewindConfig];

    /// <summary>The same from the repository in object storage.</summary>
    public IReadOnlyList<string> ObjectFetchCommand => [Cli, "wal", "fetch", Component, "--config", RewindObjectConfig];

    public static async Task<RestoreScenario> CreateAsync(string root, string cli, ObjectStore objects, int scale, int transactions)
    {
        var scenario = new RestoreScenario(root, cli, objects);
        await scenario.BuildAsync(scale, transactions);
        var clock = Stopwatch.StartNew();
        scenario.Incremental = await IncrementalHistory.CreateAsync(scenario);
        scenario.SetupSeconds["incremental_case"] = Lap(clock);
        await scenario.Source.Server.StopAsync();
        return scenario;
    }

    private async Task BuildAsync(int scale, int transactions)
    {
        await Pg.DirectoryAsync(Root, "rewind-repo");
        await Pg.DirectoryAsync(Root, "dump");
        PgBackRest = await PgBackRest.PrepareAsync(Root);
        var clock = Stopwatch.StartNew();
        Source = await SourceDatabase.CreateAsync(Root, scale, source => new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["archive_mode"] = "on",
            ["archive_command"] = $"{Cli} wal push {Component} --config {RewindConfig} %p %f && {Cli} wal push {Component} --config {RewindObjectConfig} %p %f && {PgBackRest.ArchivePush}",
        });
        SetupSeconds["generate"] = Lap(clock);
        await File.WriteAllTextAsync(RewindConfig, Pg.F($"""
            components:
              {Component}:
                provider:
                  postgres: {"{"} url: "postgres://postgres@127.0.0.1:{Source.Server.Port}/{SourceDatabase.Database}", data-directory: {Source.DataDirectory}, run-as: postgres {"}"}
                probes:
                  up: {"{"} postgres: {"{"} url: "postgres://postgres@127.0.0.1:{Source.Server.Port}/{SourceDatabase.Database}" {"}"} {"}"}
                backups:
                  repository: {RewindRepository}
                  compression: gzip

            """));
        await WriteObjectConfigAsync();
        await PgBackRest.ConfigureAsync(Source);
        await Source.Server.ExecuteAsync("create table sentinel (id int primary key, phase text not null, written timestamptz not null default clock_timestamp())", SourceDatabase.Database);
        DatabaseBytes = await Source.SizeAsync();
        HistoryAtBackup = await HistoryAsync();
        await Source.WaitArchivedAsync(await Source.SwitchWalAsync());

        var backup = await new BaseBackup(Repository(), Tools).RunAsync(new BaseBackupRequest(Source.Server.Libpq()) { Label = "bench" });
        if (!backup.Succeeded)
        {
            throw new InvalidOperationException("rewind base backup failed: " + backup.Message);
        }

        DataDirectoryBytes = backup.Manifest!.TotalSize;
        SetupSeconds["rewind_backup"] = Lap(clock);
        await BackUpToObjectStorageAsync();
        SetupSeconds["rewind_s3_backup"] = Lap(clock);
        await PgBackRest.BackupAsync();
        SetupSeconds["pgbackrest_backup"] = Lap(clock);
        await Pg.RunAsync(Pg.Command("pg_dump", "-Fc", "-f", DumpFile, Source.Server.Libpq(SourceDatabase.Database)));
        DumpBytes = new FileInfo(DumpFile).Length;
        SetupSeconds["pg_dump"] = Lap(clock);
        var firstAfter = await Source.Server.ScalarAsync<string>("select pg_walfile_name(pg_current_wal_lsn())");

        await Source.PgbenchAsync(transactions);
        await Source.Server.ExecuteAsync("insert into sentinel (id, phase) select g, 'before' from generate_series(1, 100) g", SourceDatabase.Database);
        HistoryAtNotedTime = await HistoryAsync();
        NotedTime = new DateTimeOffset(await Source.Server.ScalarAsync<DateTime>("select clock_timestamp()"), TimeSpan.Zero);
        await Task.Delay(100);
        await Source.Server.ExecuteAsync("insert into sentinel (id, phase) select g, 'after' from generate_series(101, 200) g", SourceDatabase.Database);
        await Source.PgbenchAsync(transactions / 2);
        HistoryAtEnd = await HistoryAsync();
        var last = await Source.SwitchWalAsync();
        await Source.WaitArchivedAsync(last);
        WalSegmentsAfterBackup = (int)(SegmentNumber(last) - SegmentNumber(firstAfter) + 1);
        SetupSeconds["history"] = Lap(clock);
    }

    /// <summary>The same config with its repository in object storage, credentials as secrets; both given to PostgreSQL's user.</summary>
    private async Task WriteObjectConfigAsync()
    {
        var config = (await File.ReadAllTextAsync(RewindConfig)).Replace(
            $"repository: {RewindRepository}", $"repository: {ObjectRepository}\n      s3: {Objects.ConfigBlock}", StringComparison.Ordinal);
        await File.WriteAllTextAsync(RewindObjectConfig, config);
        await Pg.GiveAsync(RewindConfig);
        await Pg.GiveAsync(RewindObjectConfig);
    }

    private async Task BackUpToObjectStorageAsync()
    {
        var backup = await new BaseBackup(ObjectRepositoryOf(), Tools).RunAsync(new BaseBackupRequest(Source.Server.Libpq()) { Label = "bench" });
        if (!backup.Succeeded)
        {
            throw new InvalidOperationException("rewind base backup into object storage failed: " + backup.Message);
        }
    }

    private Task<long> HistoryAsync() => Source.Server.ScalarAsync<long>("select count(*) from pgbench_history", SourceDatabase.Database);

    /// <summary>The position of a 16 MiB segment in the WAL: log × 256 + segment.</summary>
    private static long SegmentNumber(string name) => (Convert.ToInt64(name[8..16], 16) * 256) + Convert.ToInt64(name[16..], 16);

    private static double Lap(Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return seconds;
    }
}
