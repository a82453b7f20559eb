using Rewind.Core.Backups;

namespace Rewind.Core.Tests.Backups;

public sealed class WalChainTests
{
    private const int Size = WalSegmentName.DefaultSize;

    [Fact]
    public void FindGaps_UnbrokenChain_FindsNone()
    {
        WalChain.FindGaps(Name("000000010000000000000003"), Names(3, 4, 5, 6), Size).ShouldBeEmpty();
    }

    [Fact]
    public void FindGaps_MissingRuns_ReportsEachRunOnceWithBothEnds()
    {
        var gaps = WalChain.FindGaps(Name("000000010000000000000003"), Names(3, 4, 6, 10), Size);

        gaps.Select(gap => gap.ToString()).ShouldBe([
            "missing 000000010000000000000005",
            "missing 000000010000000000000007..000000010000000000000009",
        ]);
    }

    [Fact]
    public void FindGaps_StartNotArchived_ReportsFromTheStart()
    {
        WalChain.FindGaps(Name("000000010000000000000003"), Names(5), Size).Single().ToString()
            .ShouldBe("missing 000000010000000000000003..000000010000000000000004");
    }

    [Fact]
    public void FindGaps_EndBeyondTheArchive_ReportsTheSegmentsNeverArchived()
    {
        WalChain.FindGaps(Name("000000010000000000000003"), Names(3), Size, Name("000000010000000000000005")).Single().ToString()
            .ShouldBe("missing 000000010000000000000004..000000010000000000000005");
    }

    [Fact]
    public void FindGaps_AcrossALogBoundary_CountsSegmentsPerLog()
    {
        WalSegmentName[] archived = [Name("0000000100000000000000FE"), Name("000000010000000100000001")];

        WalChain.FindGaps(Name("0000000100000000000000FE"), archived, Size).Single().ToString()
            .ShouldBe("missing 0000000100000000000000FF..000000010000000100000000");
    }

    [Fact]
    public void FindGaps_OtherTimelinesAndOlderSegments_AreIgnored()
    {
        var archived = Names(1, 3, 4).Append(Name("000000020000000000000009"));

        WalChain.FindGaps(Name("000000010000000000000003"), archived, Size).ShouldBeEmpty();
    }

    private static WalSegmentName Name(string name) => WalSegmentName.Parse(name);

    private static IEnumerable<WalSegmentName> Names(params int[] segments) => segments.Select(s => new WalSegmentName(1, 0, (uint)s));
}
