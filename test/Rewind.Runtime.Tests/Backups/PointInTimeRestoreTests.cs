using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>Run against a repository in a directory and in object storage (<see cref="BackupScenario"/>).</summary>
public abstract class PointInTimeRestoreTests(BackupScenario scenario)
{
    [Fact]
    public async Task RestoreAsync_ToNotedTime_KeepsExactlyTheRowsCommittedBeforeIt()
    {
        var live = scenario.CreateLiveDirectory();

        var result = await Restore().RestoreAsync(Request(live, RestoreTarget.AtTime(scenario.NotedTime)));

        result.Succeeded.ShouldBeTrue(result.Message + "\n" + result.ServerLog);
        (await BackupScenario.ReadItemsAsync(live)).ShouldBe((200, 1, 200));
    }

    [Fact]
    public async Task RestoreAsync_ReplaysFromTheSpool_WithoutAFetchProcessPerSegment()
    {
        var live = scenario.CreateLiveDirectory();

        // A fetch command that never finds anything: every segment replayed must come from the spool the restore fills.
        var result = await Restore().RestoreAsync(new RestoreRequest(live, RestoreTarget.AtTime(scenario.NotedTime), ["/bin/false"]) with { ConnectionString = Request(live, RestoreTarget.EndOfWal).ConnectionString });

        result.Succeeded.ShouldBeTrue(result.Message + "\n" + result.ServerLog);
        (await BackupScenario.ReadItemsAsync(live)).ShouldBe((200, 1, 200));
        Directory.GetDirectories(scenario.Root, Path.GetFileName(live) + ".restoring-*").ShouldBeEmpty(); // spool removed too
    }

    [Fact]
    public async Task RestoreAsync_ToRestorePoint_KeepsExactlyTheRowsBeforeIt()
    {
        var live = scenario.CreateLiveDirectory();

        var result = await Restore().RestoreAsync(Request(live, RestoreTarget.AtRestorePoint(BackupScenario.RestorePoint)));

        result.Succeeded.ShouldBeTrue(result.Message + "\n" + result.ServerLog);
        (await BackupScenario.ReadItemsAsync(live)).ShouldBe((300, 1, 300));
    }

    [Fact]
    public async Task RestoreAsync_ToEndOfWal_SwapsTheRestoreInAndKeepsTheOldDirectory()
    {
        var live = scenario.CreateLiveDirectory();

        var result = await Restore().RestoreAsync(Request(live, RestoreTarget.EndOfWal) with
        {
            VerificationQueries = ["select count(*) = 400 from item", "select not pg_is_in_recovery()"],
        });

        result.Succeeded.ShouldBeTrue(result.Message + "\n" + result.ServerLog);
        result.SetId.ShouldBe(scenario.Set.SetId);
        result.Checks.Select(check => check.Passed).ShouldBe([true, true]);
        result.RestoredDirectory.ShouldBe(live);
        File.ReadAllText(Path.Combine(result.ReplacedDirectory!, "marker")).ShouldBe("the live data directory");
        File.Exists(Path.Combine(live, "recovery.signal")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(live, "postgresql.auto.conf")).ShouldNotContain("restore_command");
        Directory.GetDirectories(scenario.Root, Path.GetFileName(live) + ".restoring-*").ShouldBeEmpty();
        (await BackupScenario.ReadItemsAsync(live)).ShouldBe((400, 1, 400));
    }

    [Fact]
    public async Task RestoreAsync_FailingVerificationQuery_FailsAndLeavesTheLiveDirectory()
    {
        var live = scenario.CreateLiveDirectory();

        var result = await Restore().RestoreAsync(Request(live, RestoreTarget.Immediate) with { VerificationQueries = ["select count(*) = 400 from item"] });

        result.Succeeded.ShouldBeFalse();
        result.Phase.ShouldBe(RestorePhase.Verifying);
        result.Message.ShouldBe("verification query failed: select count(*) = 400 from item: False");
        File.ReadAllText(Path.Combine(live, "marker")).ShouldBe("the live data directory");
    }

    [Fact]
    public async Task RestoreAsync_CancelledWhileRecovering_LeavesTheLiveDirectoryAndARerunSucceeds()
    {
        var live = scenario.CreateLiveDirectory();
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAt(RestorePhase.Recovering, cancel);

        await Should.ThrowAsync<OperationCanceledException>(() => Restore().RestoreAsync(Request(live, RestoreTarget.EndOfWal), progress, cancel.Token));

        File.ReadAllText(Path.Combine(live, "marker")).ShouldBe("the live data directory");
        Directory.GetFiles(live).Length.ShouldBe(1);
        var rerun = await Restore().RestoreAsync(Request(live, RestoreTarget.EndOfWal));
        rerun.Succeeded.ShouldBeTrue(rerun.Message + "\n" + rerun.ServerLog);
        Directory.GetDirectories(scenario.Root, Path.GetFileName(live) + ".restoring-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task RestoreAsync_LeftoverOfAKilledRestore_IsRemovedAndTheRestoreSucceeds()
    {
        var live = scenario.CreateLiveDirectory();
        var leftover = live + ".restoring-20260101T000000000Z";
        Directory.CreateDirectory(Path.Combine(leftover, "base"));
        File.WriteAllText(Path.Combine(leftover, "base", "half-written"), "x");

        var result = await Restore().RestoreAsync(Request(live, RestoreTarget.Immediate));

        result.Succeeded.ShouldBeTrue(result.Message + "\n" + result.ServerLog);
        Directory.Exists(leftover).ShouldBeFalse();
    }

    [Fact]
    public async Task RestoreAsync_PastAMissingSegment_FailsNamingTheTarget()
    {
        var repository = await scenario.CopyRepositoryAsync();
        await scenario.Store.DeleteAsync(repository, $"wal/00000001/{scenario.BatchSegments[0]}.json");
        var live = scenario.CreateLiveDirectory();

        var result = await new PointInTimeRestore(scenario.Repository(repository), BackupScenario.Tools)
            .RestoreAsync(Request(live, RestoreTarget.AtTime(scenario.NotedTime), repository));

        result.Succeeded.ShouldBeFalse();
        result.Phase.ShouldBe(RestorePhase.Recovering, result.Message);
        result.Message.ShouldContain("recovery ended before configured recovery target was reached", customMessage: result.ServerLog);
        File.ReadAllText(Path.Combine(live, "marker")).ShouldBe("the live data directory");
    }

    [Fact]
    public async Task RestoreAsync_WrongKey_FailsBeforeWritingAnything()
    {
        var live = scenario.CreateLiveDirectory();
        var other = BackupKey.FromBytes(new byte[BackupKey.Length]);

        var result = await new PointInTimeRestore(scenario.Repository(key: other), BackupScenario.Tools).RestoreAsync(Request(live, RestoreTarget.EndOfWal));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldBe($"set {scenario.Set.SetId} was encrypted with key {scenario.Key.Id}, but the given key is {other.Id}: wrong key");
        Directory.GetDirectories(scenario.Root, Path.GetFileName(live) + ".restoring-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task RestoreAsync_TimeBeforeEveryBackup_FailsWithoutRestoring()
    {
        var result = await Restore().RestoreAsync(Request(scenario.CreateLiveDirectory(), RestoreTarget.AtTime(scenario.Set.Started.AddHours(-1))));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldStartWith("no backup set in ");
    }

    private PointInTimeRestore Restore() => new(scenario.Repository(), BackupScenario.Tools);

    private RestoreRequest Request(string live, RestoreTarget target, string? repository = null) =>
        new(live, target, scenario.FetchCommand(repository)) { RecoveryTimeout = TimeSpan.FromSeconds(60) };

    /// <summary>Cancels the restore the moment it reports <paramref name="phase"/> (synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class CancelAt(RestorePhase phase, CancellationTokenSource cancel) : IProgress<RestorePhase>
    {
        public void Report(RestorePhase value)
        {
            if (value == phase)
            {
                cancel.Cancel();
            }
        }
    }

    [Collection(BackupScenarioGroup.Name)]
    public sealed class InDirectory(DirectoryBackupScenario scenario) : PointInTimeRestoreTests(scenario);

    [Collection(ObjectStorageBackupScenarioGroup.Name)]
    public sealed class InObjectStorage(ObjectStorageBackupScenario scenario) : PointInTimeRestoreTests(scenario);
}
