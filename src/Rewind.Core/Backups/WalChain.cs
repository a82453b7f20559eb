namespace Rewind.Core.Backups;

/// <summary>Checks that archived WAL forms an unbroken chain, which recovery needs to replay past a gap.</summary>
public static class WalChain
{
    /// <summary>
    /// The gaps between <paramref name="start"/> and the newest archived segment of its timeline (or <paramref name="end"/>
    /// when that is later: segments a backup needs that were never archived), each run of missing segments reported once.
    /// Segments of other timelines are ignored; check each timeline from its own first segment.
    /// </summary>
    public static IReadOnlyList<WalGap> FindGaps(WalSegmentName start, IEnumerable<WalSegmentName> archived, int segmentSize, WalSegmentName? end = null)
    {
        ArgumentNullException.ThrowIfNull(archived);
        var numbers = archived
            .Where(segment => segment.Timeline == start.Timeline && segment >= start)
            .Select(segment => segment.Number(segmentSize))
            .Distinct()
            .Order()
            .ToList();
        var first = start.Number(segmentSize);
        var last = Math.Max(numbers.Count > 0 ? numbers[^1] : first, end is { } stop ? stop.Number(segmentSize) : first);
        var gaps = new List<WalGap>();
        var expected = first;
        foreach (var number in numbers.Append(last + 1))
        {
            if (number > expected)
            {
                gaps.Add(new WalGap(
                    WalSegmentName.FromNumber(start.Timeline, expected, segmentSize),
                    WalSegmentName.FromNumber(start.Timeline, number - 1, segmentSize)));
            }

            expected = number + 1;
        }

        return gaps;
    }
}
