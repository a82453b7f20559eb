using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// One real cluster archiving into an encrypted, gzip-compressed repository through the WAL tool, with a known history:
/// batch 1 (ids 1–100), base backup, batch 2 (101–200), <see cref="NotedTime"/>, batch 3 (201–300), restore point
/// <see cref="RestorePoint"/>, batch 4 (301–400); each batch after the backup ends its own WAL segment.
/// Shared by the backup tests, which restore and verify copies and never change it. The repository is a directory
/// (<see cref="DirectoryBackupScenario"/>) or a bucket prefix in object storage (<see cref="ObjectStorageBackupScenario"/>):
/// the tests run against both.
/// </summary>
public abstract class BackupScenario(bool inObjectStorage) : ArchivingScenario("rewind-backups", inObjectStorage)
{
    public const string RestorePoint = "before-batch-4";

    public BackupManifest Set { get; private set; } = null!;

    public DateTimeOffset NotedTime { get; private set; }

    /// <summary>The segments archived after the backup, one per batch (2, 3, 4).</summary>
    public IReadOnlyList<string> BatchSegments { get; private set; } = [];

    /// <summary>The ids in the item table of a cluster started on <paramref name="dataDirectory"/>; stops it again.</summary>
    public static async Task<(int Count, int Min, int Max)> ReadItemsAsync(string dataDirectory)
    {
        await using var cluster = await PostgresCluster.StartExistingAsync(dataDirectory);
        var count = (int)await cluster.ScalarAsync<long>("select count(*) from item");
        var min = await cluster.ScalarAsync<int>("select min(id) from item");
        var max = await cluster.ScalarAsync<int>("select max(id) from item");
        await cluster.StopAsync();
        return (count, min, max);
    }

    protected override async Task WriteHistoryAsync()
    {
        await InsertBatchAsync(1);
        var backup = await new BaseBackup(Repository(), Tools).RunAsync(new BaseBackupRequest(Cluster.LibpqConnectionString) { Label = "scenario" });
        backup.Succeeded.ShouldBeTrue(backup.Message);
        Set = backup.Manifest!;
        var segments = new List<string>();
        await InsertBatchAsync(2);
        segments.Add(await SwitchWalAsync());
        NotedTime = new DateTimeOffset(await Cluster.ScalarAsync<DateTime>("select clock_timestamp()"));
        await InsertBatchAsync(3);
        await PointInTimeRestore.CreateRestorePointAsync(Cluster.ConnectionString, RestorePoint);
        segments.Add(await SwitchWalAsync());
        await InsertBatchAsync(4);
        segments.Add(await SwitchWalAsync());
        BatchSegments = segments;
        await Eventually.WaitAsync(async () => (await Task.WhenAll(segments.Select(IsArchivedAsync))).All(archived => archived), TimeSpan.FromSeconds(30), "the batch segments to be archived");
    }
}

/// <summary>The scenario with its repository in a directory.</summary>
public sealed class DirectoryBackupScenario() : BackupScenario(inObjectStorage: false);

/// <summary>The scenario with its repository in a bucket of the test's S3-compatible server.</summary>
public sealed class ObjectStorageBackupScenario() : BackupScenario(inObjectStorage: true);

[CollectionDefinition(Name)]
public sealed class BackupScenarioGroup : ICollectionFixture<DirectoryBackupScenario>
{
    public const string Name = "backups on a real cluster";
}

[CollectionDefinition(Name)]
public sealed class ObjectStorageBackupScenarioGroup : ICollectionFixture<ObjectStorageBackupScenario>
{
    public const string Name = "backups on a real cluster, repository in object storage";
}
