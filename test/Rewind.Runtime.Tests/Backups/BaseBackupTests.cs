using System.Security.Cryptography;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>Run against a repository in a directory and in object storage (<see cref="BackupScenario"/>).</summary>
public abstract class BaseBackupTests(BackupScenario scenario)
{
    [Fact]
    public void RunAsync_RealCluster_ManifestDescribesTheBackup()
    {
        var set = scenario.Set;

        set.Label.ShouldBe("scenario");
        set.Timeline.ShouldBe(1u);
        set.WalSegmentSize.ShouldBe(1024 * 1024);
        set.PostgresVersion.ShouldBe("15");
        set.KeyId.ShouldBe(scenario.Key.Id);
        WalSegmentName.Parse(set.WalStart).ShouldBe(WalSegmentName.FromLsn(1, Lsn.Parse(set.StartLsn), set.WalSegmentSize));
        Lsn.Parse(set.StopLsn).ShouldBeGreaterThan(Lsn.Parse(set.StartLsn));
        set.Directories.Select(directory => directory.Path).ShouldContain("pg_wal");
        set.Files.Select(file => file.Path).ShouldContain("backup_label");
        set.Files.Select(file => file.Path).ShouldNotContain("backup_manifest");
        set.Finished.ShouldBeGreaterThanOrEqualTo(set.Started);
    }

    [Fact]
    public async Task RunAsync_RealCluster_RecordsThePlainChecksumOfEveryFile()
    {
        var version = scenario.Set.Files.Single(file => file.Path == "PG_VERSION");

        version.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData("15\n"u8)));
        version.Size.ShouldBe(3);
        version.Compression.ShouldBe(StoredCompression.Gzip);
        version.Encrypted.ShouldBeTrue();
        var stored = (await scenario.Store.ReadAsync(scenario.RepositoryPath, $"sets/{scenario.Set.SetId}/pg_data/PG_VERSION.gz.enc")).ShouldNotBeNull();
        stored.Length.ShouldBe((int)version.StoredSize);
        stored.AsSpan(0, 8).ToArray().ShouldBe("RWENC001"u8.ToArray());
    }

    [Fact]
    public async Task RunAsync_UnreachableServer_FailsWithPgBasebackupsMessageAndLeavesNoSet()
    {
        var repository = await scenario.CopyRepositoryAsync();

        var result = await new BaseBackup(scenario.Repository(repository), BackupScenario.Tools).RunAsync(new BaseBackupRequest("host=127.0.0.1 port=1 user=postgres"));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldStartWith("pg_basebackup exit 1");
        result.Message.ShouldContain("Connection refused");
        (await scenario.Repository(repository).ListSetsAsync()).ShouldHaveSingleItem();
        (await scenario.Store.KeysAsync(repository, "sets/")).ShouldAllBe(key => key.StartsWith($"sets/{scenario.Set.SetId}/", StringComparison.Ordinal));
        Directory.GetFileSystemEntries(scenario.Repository(repository).WorkDirectory).ShouldBeEmpty();
    }

    [Collection(BackupScenarioGroup.Name)]
    public sealed class InDirectory(DirectoryBackupScenario scenario) : BaseBackupTests(scenario);

    [Collection(ObjectStorageBackupScenarioGroup.Name)]
    public sealed class InObjectStorage(ObjectStorageBackupScenario scenario) : BaseBackupTests(scenario);
}
