using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// Incremental base backups on a real cluster (<see cref="IncrementalScenario"/>): what they store and reference, restores
/// and verification through the chain, its failure paths and retention; against a repository in a directory and in
/// object storage.
/// </summary>
public abstract partial class IncrementalBackupTests(IncrementalScenario scenario)
{
    [Fact]
    public async Task RunAsync_AfterAChange_StoresOnlyChangedFilesAndReferencesTheRest()
    {
        var (full, incremental) = (scenario.Full, scenario.Incremental);
        var item = await scenario.Cluster.ScalarAsync<string>("select pg_relation_filepath('item')");
        var extra = await scenario.Cluster.ScalarAsync<string>("select pg_relation_filepath('extra')");

        (incremental.Type, incremental.Parent, incremental.Format).ShouldBe((BackupType.Incremental, full.SetId, 2));
        scenario.IncrementalResult.Message.ShouldStartWith($"incremental backup set {incremental.SetId} (parent {full.SetId}): ");
        var referenced = incremental.Files.Where(file => file.StoredIn is not null).ToList();
        referenced.ShouldNotBeEmpty();
        referenced.ShouldAllBe(file => file.StoredIn == full.SetId);
        referenced.Select(file => file.Path).ShouldContain("PG_VERSION");
        var inFull = full.Files.ToDictionary(file => file.Path, StringComparer.Ordinal);
        referenced.ShouldAllBe(file => inFull[file.Path].Sha256 == file.Sha256 && inFull[file.Path].StoredSize == file.StoredSize);
        var stored = incremental.Files.Where(file => file.StoredIn is null).Select(file => file.Path).ToList();
        stored.ShouldContain(item);
        stored.ShouldContain(extra);
        foreach (var path in stored)
        {
            (await scenario.Store.ReadAsync(scenario.RepositoryPath, $"sets/{incremental.SetId}/pg_data/{path}.gz.enc")).ShouldNotBeNull(path); // an object or in a bundle
        }

        (await scenario.Store.KeysAsync(scenario.RepositoryPath, $"sets/{incremental.SetId}/pg_data/")).Count.ShouldBeLessThanOrEqualTo(stored.Count);
        (await scenario.Store.ReadAsync(scenario.RepositoryPath, $"sets/{incremental.SetId}/pg_data/PG_VERSION.gz.enc")).ShouldBeNull();
        incremental.TotalStoredSize.ShouldBeLessThan(full.TotalStoredSize / 2);
    }

    [Fact]
    public async Task RestoreAsync_TimeAfterTheIncremental_RestoresExactlyTheRowsFromTheChain()
    {
        var live = scenario.CreateLiveDirectory();

        var result = await new PointInTimeRestore(scenario.Repository(), BackupScenario.Tools).RestoreAsync(Request(live));

        result.Succeeded.ShouldBeTrue(result.Message + "\n" + result.ServerLog);
        result.SetId.ShouldBe(scenario.Incremental.SetId);
        await using var cluster = await PostgresCluster.StartExistingAsync(live);
        (await cluster.ScalarAsync<long>("select count(*) from item")).ShouldBe(300);
        (await cluster.ScalarAsync<int>("select max(id) from item")).ShouldBe(300);
        (await cluster.ScalarAsync<long>("select count(*) from extra")).ShouldBe(50);
        await cluster.StopAsync();
    }

    [Fact]
    public async Task VerifyAsync_DamagedReferencedFile_FailsNamingBothSetsAndReadsTheObjectOnce()
    {
        var repository = await scenario.CopyRepositoryAsync();
        var key = $"sets/{scenario.Full.SetId}/pg_data/PG_VERSION.gz.enc";
        var damaged = (await scenario.Store.ReadAsync(repository, key)).ShouldNotBeNull();
        damaged[^1] ^= 0xff;
        await scenario.Store.WriteAsync(repository, key, damaged);

        var report = await new BackupVerifier(scenario.Repository(repository)).VerifyAsync(new VerificationRequest { RequireBaseBackup = true });

        report.Passed.ShouldBeFalse();
        var subjects = report.Findings.Where(f => f.Severity == FindingSeverity.Error && f.Subject.EndsWith("/PG_VERSION", StringComparison.Ordinal)).ToList();
        subjects.Select(f => f.Subject).Order(StringComparer.Ordinal).ShouldBe([$"{scenario.Full.SetId}/PG_VERSION", $"{scenario.Incremental.SetId}/PG_VERSION"]);
        subjects.Single(f => f.Subject.StartsWith(scenario.Incremental.SetId, StringComparison.Ordinal)).Message.ShouldContain($"(stored in set {scenario.Full.SetId})");
        report.FilesChecked.ShouldBe(scenario.Full.Files.Count + scenario.Incremental.Files.Count(file => file.StoredIn is null));
    }

    private RestoreRequest Request(string live, string? repository = null) =>
        new(live, RestoreTarget.AtTime(scenario.NotedTime), scenario.FetchCommand(repository)) { RecoveryTimeout = TimeSpan.FromSeconds(60) };

    public sealed class InDirectory(DirectoryIncrementalScenario scenario) : IncrementalBackupTests(scenario), IClassFixture<DirectoryIncrementalScenario>;

    public sealed class InObjectStorage(ObjectStorageIncrementalScenario scenario) : IncrementalBackupTests(scenario), IClassFixture<ObjectStorageIncrementalScenario>;
}
