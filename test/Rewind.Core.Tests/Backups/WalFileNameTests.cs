using Rewind.Core.Backups;

namespace Rewind.Core.Tests.Backups;

public sealed class WalFileNameTests
{
    [Theory]
    [InlineData("000000010000000000000003", WalFileKind.Segment, 1u)]
    [InlineData("000000020000000000000003.partial", WalFileKind.Partial, 2u)]
    [InlineData("0000000A.history", WalFileKind.History, 10u)]
    [InlineData("000000010000000000000007.00000028.backup", WalFileKind.BackupHistory, 1u)]
    public void TryParse_ArchivedFileNames_AreRecognised(string name, WalFileKind kind, uint timeline)
    {
        var parsed = WalFileName.TryParse(name);

        parsed.ShouldNotBeNull();
        (parsed.Kind, parsed.Timeline).ShouldBe((kind, timeline));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../000000010000000000000003")]
    [InlineData("000000010000000000000003.gz")]
    [InlineData("00000000.history")]
    [InlineData("0000000a.history")]
    [InlineData("000000010000000000000007.0000002.backup")]
    [InlineData("RECOVERYXLOG")]
    public void TryParse_AnythingElse_IsRefused(string? name)
    {
        WalFileName.TryParse(name).ShouldBeNull();
    }

    [Fact]
    public void TimelineDirectory_IsEightHexDigits()
    {
        WalFileName.TryParse("0000001F.history")!.TimelineDirectory.ShouldBe("0000001F");
    }
}
