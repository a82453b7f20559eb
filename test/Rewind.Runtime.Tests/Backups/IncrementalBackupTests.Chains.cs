using System.Text;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Tests.Backups;

public abstract partial class IncrementalBackupTests
{
    [Fact]
    public async Task RestoreAsync_ReferencedFileMissing_FailsNamingTheFileAndItsSet()
    {
        var repository = await scenario.CopyRepositoryAsync();
        await scenario.Store.DeleteAsync(repository, $"sets/{scenario.Full.SetId}/pg_data/PG_VERSION.gz.enc");
        var live = scenario.CreateLiveDirectory();

        var result = await new PointInTimeRestore(scenario.Repository(repository), BackupScenario.Tools).RestoreAsync(Request(live, repository) with { SetId = scenario.Incremental.SetId });

        result.Succeeded.ShouldBeFalse();
        result.Phase.ShouldBe(RestorePhase.RestoringFiles);
        result.Message.ShouldContain("PG_VERSION: the stored file");
        result.Message.ShouldContain($"(held by set {scenario.Full.SetId})");
        File.ReadAllText(Path.Combine(live, "marker")).ShouldBe("the live data directory");
    }

    [Fact]
    public async Task RestoreAsync_HoldingSetMissing_FailsBeforeWritingAnything()
    {
        var repository = await scenario.CopyRepositoryAsync();
        scenario.Repository(repository).RemoveSet(SetKind.Base, scenario.Full.SetId).ShouldBeTrue();
        var live = scenario.CreateLiveDirectory();

        var result = await new PointInTimeRestore(scenario.Repository(repository), BackupScenario.Tools).RestoreAsync(Request(live, repository));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldContain($"is held by set {scenario.Full.SetId}, which is not in");
        Directory.GetDirectories(scenario.Root, Path.GetFileName(live) + ".restoring-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task RestoreDrill_HoldingSetMissing_FailsNamingTheSetAndLeavesNoScratchCopy()
    {
        var repository = await scenario.CopyRepositoryAsync();
        scenario.Repository(repository).RemoveSet(SetKind.Base, scenario.Full.SetId).ShouldBeTrue();
        var scratch = Path.Combine(scenario.Root, "drill-" + Guid.NewGuid().ToString("N")[..8]);

        var drill = await new RestoreDrill(new PointInTimeRestore(scenario.Repository(repository), BackupScenario.Tools))
            .RunAsync(new RestoreDrillRequest(scratch, scenario.FetchCommand(repository)));

        drill.Succeeded.ShouldBeFalse();
        drill.Restore.SetId.ShouldBe(scenario.Incremental.SetId);
        drill.Describe().ShouldContain($"is held by set {scenario.Full.SetId}, which is not in");
        Directory.GetFileSystemEntries(scratch).ShouldBeEmpty();
    }

    [Fact]
    public async Task VerifyAsync_HoldingSetMissing_FailsNamingBothSets()
    {
        var repository = await scenario.CopyRepositoryAsync();
        scenario.Repository(repository).RemoveSet(SetKind.Base, scenario.Full.SetId).ShouldBeTrue();

        var report = await new BackupVerifier(scenario.Repository(repository)).VerifyAsync(new VerificationRequest { SetId = scenario.Incremental.SetId });

        report.Passed.ShouldBeFalse();
        report.Findings.ShouldContain(f => f.Severity == FindingSeverity.Error && f.Subject == scenario.Incremental.SetId
            && f.Message.StartsWith($"set {scenario.Full.SetId}, which holds ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExpireAsync_IncrementalKept_KeepsTheFullSetItDependsOn()
    {
        var repository = await scenario.CopyRepositoryAsync();

        var result = await new BackupExpiry(scenario.Repository(repository)).ExpireAsync(1, TimeSpan.FromMilliseconds(1));

        result.Kept.ShouldBe([scenario.Full.SetId, scenario.Incremental.SetId]);
        result.Expired.ShouldBeEmpty();
        (await scenario.Repository(repository).ListSetsAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task ExpireAsync_NewerFullSet_RemovesTheWholeChain()
    {
        var repository = await scenario.CopyRepositoryAsync();
        var newer = (await scenario.BackUpAsync(scenario.Repository(repository), incremental: false)).Manifest!;

        var result = await new BackupExpiry(scenario.Repository(repository)).ExpireAsync(1, TimeSpan.FromMilliseconds(1));

        result.Expired.ShouldBe([scenario.Full.SetId, scenario.Incremental.SetId]);
        result.Kept.ShouldBe([newer.SetId]);
        (await scenario.Repository(repository).ListSetsAsync()).ShouldHaveSingleItem().SetId.ShouldBe(newer.SetId);
    }

    [Fact]
    public async Task RunAsync_IncrementalOnAnIncremental_ReferencesTheHoldingSetDirectly()
    {
        var repository = await scenario.CopyRepositoryAsync();

        var next = (await scenario.BackUpAsync(scenario.Repository(repository), incremental: true)).Manifest!;

        next.Parent.ShouldBe(scenario.Incremental.SetId);
        next.Files.Single(file => file.Path == "PG_VERSION").StoredIn.ShouldBe(scenario.Full.SetId);
        var report = await new BackupVerifier(scenario.Repository(repository)).VerifyAsync(new VerificationRequest { SetId = next.SetId });
        report.Findings.Where(f => !f.Subject.StartsWith("wal/", StringComparison.Ordinal)).ShouldBeEmpty(); // its WAL went to the scenario's repository, not to this copy
        report.FilesChecked.ShouldBe(next.Files.Count);
    }

    [Fact]
    public async Task RunAsync_IncrementalWithAnotherKey_TakesAFullSetAndSaysWhy()
    {
        var repository = await scenario.CopyRepositoryAsync();
        var other = BackupKey.FromBytes(Enumerable.Repeat((byte)7, BackupKey.Length).ToArray());

        var result = await scenario.BackUpAsync(scenario.Repository(repository, other), incremental: true);

        result.Manifest!.Type.ShouldBe(BackupType.Full);
        result.Manifest.Parent.ShouldBeNull();
        result.Manifest.Files.ShouldAllBe(file => file.StoredIn == null);
        result.WhyFull.ShouldBe($"the newest set {scenario.Incremental.SetId} is encrypted with key {scenario.Key.Id}, the repository's key is {other.Id}");
        result.Message.ShouldStartWith($"incremental requested, full taken: {result.WhyFull}; backup set {result.Manifest.SetId}: ");
    }

    [Fact]
    public async Task ReadSetAsync_ManifestWrittenBeforeIncrementals_IsAFullSetThatVerifies()
    {
        var repository = await scenario.CopyRepositoryAsync();
        var key = $"sets/{scenario.Full.SetId}/manifest.json";
        var json = Encoding.UTF8.GetString((await scenario.Store.ReadAsync(repository, key))!);
        var old = string.Join('\n', json.Split('\n').Where(line => !line.Contains("\"type\"", StringComparison.Ordinal)));
        old.ShouldNotBe(json);
        await scenario.Store.WriteAsync(repository, key, Encoding.UTF8.GetBytes(old));

        var set = (await scenario.Repository(repository).ReadSetAsync(scenario.Full.SetId)).ShouldNotBeNull();

        (set.Type, set.Parent, set.Format).ShouldBe((BackupType.Full, null, 1));
        set.Files.ShouldAllBe(file => file.StoredIn == null);
        (await new BackupVerifier(scenario.Repository(repository)).VerifyAsync(new VerificationRequest { SetId = set.SetId })).Findings.ShouldBeEmpty();
    }
}
