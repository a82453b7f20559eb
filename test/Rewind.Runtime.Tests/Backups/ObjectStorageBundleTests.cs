using Rewind.Core.Backups;
using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// In object storage a set's small files go into bundles (a request per object is a round trip and a cost): the scenario's
/// base backup of about a thousand files is a few dozen objects, and a lost bundle is reported file by file.
/// </summary>
[Collection(ObjectStorageBackupScenarioGroup.Name)]
public sealed class ObjectStorageBundleTests(ObjectStorageBackupScenario scenario)
{
    [Fact]
    public async Task BaseBackup_SmallFiles_AreKeptInAFewBundles_NotAnObjectEach()
    {
        var folder = $"sets/{scenario.Set.SetId}/";
        var keys = await scenario.Store.KeysAsync(scenario.RepositoryPath, folder);
        var small = scenario.Set.Files.Where(file => file.StoredSize <= new ObjectStorageOptions().BundleLimit).ToList();
        var bundles = keys.Where(key => key.StartsWith(folder + "bundles/", StringComparison.Ordinal)).ToList();

        small.Count.ShouldBeGreaterThan(500);
        keys.ShouldContain(folder + "bundles.json");
        bundles.Count.ShouldBeInRange(1, 3);
        keys.Count.ShouldBe(scenario.Set.Files.Count - small.Count + bundles.Count + 2); // + bundles.json and manifest.json
        small.ShouldAllBe(file => !keys.Contains($"{folder}pg_data/{file.Path}.gz.enc"));
    }

    [Fact]
    public async Task VerifyAsync_BundleMissing_ReportsEachFileItHeld()
    {
        var repository = await scenario.CopyRepositoryAsync();
        var bucket = (BucketStore)scenario.Store;
        var inFirst = new List<string>();
        foreach (var file in scenario.Set.Files)
        {
            if (await bucket.BundledAsync(repository, $"sets/{scenario.Set.SetId}/pg_data/{file.Path}.gz.enc") is { } at && at.Bundle.EndsWith("/bundles/0", StringComparison.Ordinal))
            {
                inFirst.Add(file.Path);
            }
        }

        await scenario.Store.DeleteAsync(repository, $"sets/{scenario.Set.SetId}/bundles/0");
        var report = await new BackupVerifier(scenario.Repository(repository)).VerifyAsync();

        report.Passed.ShouldBeFalse();
        inFirst.ShouldNotBeEmpty();
        report.Findings.Select(finding => finding.Subject).Order(StringComparer.Ordinal)
            .ShouldBe(inFirst.Select(path => $"{scenario.Set.SetId}/{path}").Order(StringComparer.Ordinal));
        report.Findings[0].Message.ShouldBe("the stored file is missing");
    }
}
