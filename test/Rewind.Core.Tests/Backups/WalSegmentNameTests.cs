using Rewind.Core.Backups;

namespace Rewind.Core.Tests.Backups;

public sealed class WalSegmentNameTests
{
    private const int Mib = 1024 * 1024;

    [Fact]
    public void Parse_SegmentName_SplitsTimelineLogAndSegment()
    {
        var segment = WalSegmentName.Parse("00000002000000A1000000FE");

        segment.ShouldBe(new WalSegmentName(2, 0xA1, 0xFE));
        segment.ToString().ShouldBe("00000002000000A1000000FE");
    }

    [Theory]
    [InlineData("000000010000000000000003", "000000010000000000000004", WalSegmentName.DefaultSize)]
    [InlineData("0000000100000000000000FF", "000000010000000100000000", WalSegmentName.DefaultSize)]
    [InlineData("0000000100000000000000FF", "000000010000000000000100", Mib)]
    [InlineData("000000010000000000000FFF", "000000010000000100000000", Mib)]
    [InlineData("000000030000000700000000", "000000030000000700000001", 1024 * Mib)]
    [InlineData("000000030000000700000003", "000000030000000800000000", 1024 * Mib)]
    public void Next_ForTheSegmentSize_CrossesIntoTheNextLogAtItsEnd(string name, string next, int segmentSize)
    {
        WalSegmentName.Parse(name).Next(segmentSize).ToString().ShouldBe(next);
    }

    [Theory]
    [InlineData("0/700028", Mib, "000000010000000000000007")]
    [InlineData("0/3000000", WalSegmentName.DefaultSize, "000000010000000000000003")]
    [InlineData("1/A0000000", WalSegmentName.DefaultSize, "0000000100000001000000A0")]
    public void FromLsn_Position_NamesTheSegmentHoldingIt(string lsn, int segmentSize, string name)
    {
        WalSegmentName.FromLsn(1, Lsn.Parse(lsn), segmentSize).ToString().ShouldBe(name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00000001000000000000000")]
    [InlineData("0000000100000000000000003")]
    [InlineData("00000001000000000000000a")]
    [InlineData("000000000000000000000003")]
    [InlineData("0000000100000000000000G3")]
    public void TryParse_NotASegmentName_Fails(string name)
    {
        WalSegmentName.TryParse(name, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(512 * 1024)]
    [InlineData(3 * Mib)]
    [InlineData(2048L * Mib)]
    public void IsValidSize_NotAPowerOfTwoFrom1MiBTo1GiB_IsFalse(long segmentSize)
    {
        WalSegmentName.IsValidSize(segmentSize).ShouldBeFalse();
    }

    [Fact]
    public void CompareTo_OrdersByTimelineThenPosition()
    {
        WalSegmentName[] names = [WalSegmentName.Parse("000000020000000000000001"), WalSegmentName.Parse("000000010000000100000000"), WalSegmentName.Parse("0000000100000000000000FF")];

        names.Order().Select(name => name.ToString()).ShouldBe(["0000000100000000000000FF", "000000010000000100000000", "000000020000000000000001"]);
    }
}
