using Rewind.Core.Backups;

namespace Rewind.Core.Tests.Backups;

public sealed class BackupLabelTests
{
    [Fact]
    public void TryParse_BackupLabel_ReadsStartTimelineAndLabel()
    {
        const string text = """
            START WAL LOCATION: 0/700028 (file 000000010000000000000007)
            CHECKPOINT LOCATION: 0/700060
            BACKUP METHOD: streamed
            BACKUP FROM: primary
            START TIME: 2026-11-22 18:34:38 UTC
            LABEL: nightly: before 4.2
            START TIMELINE: 1
            """;

        BackupLabel.TryParse(text).ShouldBe(new BackupLabel(Lsn.Parse("0/700028"), 1, "nightly: before 4.2", null));
    }

    [Fact]
    public void TryParse_BackupHistoryFile_AlsoReadsTheStopPosition()
    {
        const string text = "START WAL LOCATION: 0/700028 (file 000000010000000000000007)\nSTOP WAL LOCATION: 0/700100 (file 000000010000000000000007)\nLABEL: x\nSTART TIMELINE: 3\n";

        BackupLabel.TryParse(text)!.StopLsn.ShouldBe(Lsn.Parse("0/700100"));
    }

    [Fact]
    public void TryParse_NotABackupLabel_IsNull()
    {
        BackupLabel.TryParse("LABEL: x\n").ShouldBeNull();
    }
}
