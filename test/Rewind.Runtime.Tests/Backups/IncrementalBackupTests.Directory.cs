using System.Text;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Tests.Backups;

public abstract partial class IncrementalBackupTests
{
    /// <summary>The failure paths, chains and retention, in a directory only: the logic above the storage is the same for both.</summary>
    public sealed partial class InDirectory
    {
        private readonly DirectoryIncrementalScenario _scenario = scenario;

        [Fact]
        public async Task RestoreAsync_ReferencedFileMissing_FailsNamingTheFileAndItsSet()
        {
            var repository = await _scenario.CopyRepositoryAsync();
            await _scenario.Store.DeleteAsync(repository, $"sets/{_scenario.Full.SetId}/pg_data/PG_VERSION.gz.enc");
            var live = _scenario.CreateLiveDirectory();

            var result = await new PointInTimeRestore(_scenario.Repository(repository), BackupScenario.Tools).RestoreAsync(Request(live, repository) with { SetId = _scenario.Incremental.SetId });

            result.Succeeded.ShouldBeFalse();
            result.Phase.ShouldBe(RestorePhase.RestoringFiles);
            result.Message.ShouldContain("PG_VERSION: the stored file");
            result.Message.ShouldContain($"(held by set {_scenario.Full.SetId})");
            File.ReadAllText(Path.Combine(live, "marker")).ShouldBe("the live data directory");
        }

        [Fact]
        public async Task RestoreAsync_HoldingSetMissing_FailsBeforeWritingAnything()
        {
            var repository = await _scenario.CopyRepositoryAsync();
            _scenario.Repository(repository).RemoveSet(SetKind.Base, _scenario.Full.SetId).ShouldBeTrue();
            var live = _scenario.CreateLiveDirectory();

            var result = await new PointInTimeRestore(_scenario.Repository(repository), BackupScenario.Tools).RestoreAsync(Request(live, repository));

            result.Succeeded.ShouldBeFalse();
            result.Message.ShouldContain($"is held by set {_scenario.Full.SetId}, which is not in");
            Directory.GetDirectories(_scenario.Root, Path.GetFileName(live) + ".restoring-*").ShouldBeEmpty();
        }

        [Fact]
        public async Task RestoreDrill_HoldingSetMissing_FailsNamingTheSetAndLeavesNoScratchCopy()
        {
            var repository = await _scenario.CopyRepositoryAsync();
            _scenario.Repository(repository).RemoveSet(SetKind.Base, _scenario.Full.SetId).ShouldBeTrue();
            var scratch = Path.Combine(_scenario.Root, "drill-" + Guid.NewGuid().ToString("N")[..8]);

            var drill = await new RestoreDrill(new PointInTimeRestore(_scenario.Repository(repository), BackupScenario.Tools))
                .RunAsync(new RestoreDrillRequest(scratch, _scenario.FetchCommand(repository)));

            drill.Succeeded.ShouldBeFalse();
            drill.Restore.SetId.ShouldBe(_scenario.Incremental.SetId);
            drill.Describe().ShouldContain($"is held by set {_scenario.Full.SetId}, which is not in");
            Directory.GetFileSystemEntries(scratch).ShouldBeEmpty();
        }

        [Fact]
        public async Task VerifyAsync_HoldingSetMissing_FailsNamingBothSets()
        {
            var repository = await _scenario.CopyRepositoryAsync();
            _scenario.Repository(repository).RemoveSet(SetKind.Base, _scenario.Full.SetId).ShouldBeTrue();

            var report = await new BackupVerifier(_scenario.Repository(repository)).VerifyAsync(new VerificationRequest { SetId = _scenario.Incremental.SetId });

            report.Passed.ShouldBeFalse();
            report.Findings.ShouldContain(f => f.Severity == FindingSeverity.Error && f.Subject == _scenario.Incremental.SetId
                && f.Message.StartsWith($"set {_scenario.Full.SetId}, which holds ", StringComparison.Ordinal));
        }

        [Fact]
        public async Task ExpireAsync_IncrementalKept_KeepsTheFullSetItDependsOn()
        {
            var repository = await _scenario.CopyRepositoryAsync();

            var result = await new BackupExpiry(_scenario.Repository(repository)).ExpireAsync(1, TimeSpan.FromMilliseconds(1));

            result.Kept.ShouldBe([_scenario.Full.SetId, _scenario.Incremental.SetId]);
            result.Expired.ShouldBeEmpty();
            (await _scenario.Repository(repository).ListSetsAsync()).Count.ShouldBe(2);
        }

        [Fact]
        public async Task ExpireAsync_NewerFullSet_RemovesTheWholeChain()
        {
            var repository = await _scenario.CopyRepositoryAsync();
            var newer = (await _scenario.BackUpAsync(_scenario.Repository(repository), incremental: false)).Manifest!;

            var result = await new BackupExpiry(_scenario.Repository(repository)).ExpireAsync(1, TimeSpan.FromMilliseconds(1));

            result.Expired.ShouldBe([_scenario.Full.SetId, _scenario.Incremental.SetId]);
            result.Kept.ShouldBe([newer.SetId]);
            (await _scenario.Repository(repository).ListSetsAsync()).ShouldHaveSingleItem().SetId.ShouldBe(newer.SetId);
        }

        [Fact]
        public async Task RunAsync_IncrementalOnAnIncremental_ReferencesTheHoldingSetDirectly()
        {
            var repository = await _scenario.CopyRepositoryAsync();

            var next = (await _scenario.BackUpAsync(_scenario.Repository(repository), incremental: true)).Manifest!;

            next.Parent.ShouldBe(_scenario.Incremental.SetId);
            next.Files.Single(file => file.Path == "PG_VERSION").StoredIn.ShouldBe(_scenario.Full.SetId);
            var report = await new BackupVerifier(_scenario.Repository(repository)).VerifyAsync(new VerificationRequest { SetId = next.SetId });
            report.Findings.Where(f => !f.Subject.StartsWith("wal/", StringComparison.Ordinal)).ShouldBeEmpty(); // its WAL went to the scenario's repository, not to this copy
            report.FilesChecked.ShouldBe(next.Files.Count);
        }

        [Fact]
        public async Task RunAsync_IncrementalWithAnotherKey_TakesAFullSetAndSaysWhy()
        {
            var repository = await _scenario.CopyRepositoryAsync();
            var other = BackupKey.FromBytes(Enumerable.Repeat((byte)7, BackupKey.Length).ToArray());

            var result = await _scenario.BackUpAsync(_scenario.Repository(repository, other), incremental: true);

            result.Manifest!.Type.ShouldBe(BackupType.Full);
            result.Manifest.Parent.ShouldBeNull();
            result.Manifest.Files.ShouldAllBe(file => file.StoredIn == null);
            result.WhyFull.ShouldBe($"the newest set {_scenario.Incremental.SetId} is encrypted with key {_scenario.Key.Id}, the repository's key is {other.Id}");
            result.Message.ShouldStartWith($"incremental requested, full taken: {result.WhyFull}; backup set {result.Manifest.SetId}: ");
        }

        [Fact]
        public async Task ReadSetAsync_ManifestWrittenBeforeIncrementals_IsAFullSetThatVerifies()
        {
            var repository = await _scenario.CopyRepositoryAsync();
            var key = $"sets/{_scenario.Full.SetId}/manifest.json";
            var json = Encoding.UTF8.GetString((await _scenario.Store.ReadAsync(repository, key))!);
            var old = string.Join('\n', json.Split('\n').Where(line => !line.Contains("\"type\"", StringComparison.Ordinal)));
            old.ShouldNotBe(json);
            await _scenario.Store.WriteAsync(repository, key, Encoding.UTF8.GetBytes(old));

            var set = (await _scenario.Repository(repository).ReadSetAsync(_scenario.Full.SetId)).ShouldNotBeNull();

            (set.Type, set.Parent, set.Format).ShouldBe((BackupType.Full, null, 1));
            set.Files.ShouldAllBe(file => file.StoredIn == null);
            (await new BackupVerifier(_scenario.Repository(repository)).VerifyAsync(new VerificationRequest { SetId = set.SetId })).Findings.ShouldBeEmpty();
        }
    }
}
