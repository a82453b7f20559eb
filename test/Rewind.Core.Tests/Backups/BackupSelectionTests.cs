using Rewind.Core.Backups;

namespace Rewind.Core.Tests.Backups;

public sealed class BackupSelectionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    private static readonly BackupManifest[] Sets = [Set(T0), Set(T0.AddHours(1)), Set(T0.AddHours(2))];

    [Fact]
    public void Choose_Time_TakesTheNewestSetFinishedBeforeIt()
    {
        BackupSelection.Choose(Sets, RestoreTarget.AtTime(T0.AddHours(1.5)))!.Finished.ShouldBe(T0.AddHours(1).AddMinutes(1));
    }

    [Fact]
    public void Choose_TimeWhileTheOnlyCandidateWasRunning_SkipsIt()
    {
        BackupSelection.Choose(Sets, RestoreTarget.AtTime(T0.AddHours(1).AddSeconds(30)))!.Started.ShouldBe(T0);
    }

    [Fact]
    public void Choose_TimeBeforeEverySet_IsNull()
    {
        BackupSelection.Choose(Sets, RestoreTarget.AtTime(T0.AddMinutes(-1))).ShouldBeNull();
    }

    [Fact]
    public void Choose_RestorePointOrEndOfWal_TakesTheNewestSet()
    {
        BackupSelection.Choose(Sets, RestoreTarget.AtRestorePoint("x"))!.Started.ShouldBe(T0.AddHours(2));
        BackupSelection.Choose(Sets, RestoreTarget.EndOfWal)!.Started.ShouldBe(T0.AddHours(2));
    }

    private static BackupManifest Set(DateTimeOffset started) => new(
        BackupSetId.Create(started), "l", started, started.AddMinutes(1), 1, "0/3000028", "0/3000100",
        "000000010000000000000003", "000000010000000000000003", WalSegmentName.DefaultSize, "15", null, [], []);
}
