using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// One real cluster archiving into an encrypted, gzip-compressed repository, with a chain of two sets: batch 1 of
/// <c>item</c> (ids 1–100), a full set, batch 2 (101–200) and a new table <c>extra</c> (50 rows), an incremental set,
/// batch 3 (201–300), <see cref="NotedTime"/>, batch 4 (301–400), all archived. The cluster keeps running, so a test
/// may take further backups into a copy of the repository. Tests restore, verify and expire copies and never change the
/// repository itself; in a directory (<see cref="DirectoryIncrementalScenario"/>) or in object storage (<see cref="ObjectStorageIncrementalScenario"/>).
/// </summary>
public abstract class IncrementalScenario(bool inObjectStorage) : ArchivingScenario("rewind-incremental", inObjectStorage)
{
    public BackupManifest Full { get; private set; } = null!;

    public BackupManifest Incremental { get; private set; } = null!;

    /// <summary>What the incremental run said.</summary>
    public BaseBackupResult IncrementalResult { get; private set; } = null!;

    public DateTimeOffset NotedTime { get; private set; }

    /// <summary>A base backup of the running cluster into <paramref name="repository"/>.</summary>
    public async Task<BaseBackupResult> BackUpAsync(BackupRepository repository, bool incremental)
    {
        var result = await new BaseBackup(repository, Tools).RunAsync(new BaseBackupRequest(Cluster.LibpqConnectionString) { Incremental = incremental });
        result.Succeeded.ShouldBeTrue(result.Message);
        return result;
    }

    protected override async Task WriteHistoryAsync()
    {
        await InsertBatchAsync(1);
        Full = (await BackUpAsync(Repository(), incremental: false)).Manifest!;
        await InsertBatchAsync(2);
        await Cluster.ExecuteAsync("create table extra as select g as id from generate_series(1, 50) g");
        IncrementalResult = await BackUpAsync(Repository(), incremental: true);
        Incremental = IncrementalResult.Manifest!;
        await InsertBatchAsync(3);
        await SwitchAndArchiveAsync();
        NotedTime = new DateTimeOffset(await Cluster.ScalarAsync<DateTime>("select clock_timestamp()"));
        await InsertBatchAsync(4);
        await SwitchAndArchiveAsync();
    }
}

public sealed class DirectoryIncrementalScenario() : IncrementalScenario(inObjectStorage: false);

public sealed class ObjectStorageIncrementalScenario() : IncrementalScenario(inObjectStorage: true);
