using System.Globalization;
using Rewind.Core.Configuration;

namespace Rewind.Core.Backups;

/// <summary>What the archived WAL covers: from the oldest set's first segment to the newest archived one, and its gaps.</summary>
public static class WalCoverage
{
    public static string Describe(IReadOnlyList<BackupManifest> sets, IReadOnlyList<WalEntry> wal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(wal);
        var segments = wal.Select(e => WalSegmentName.TryParse(e.Name, out var s) ? s : (WalSegmentName?)null).OfType<WalSegmentName>().Order().ToList();
        if (segments.Count == 0)
        {
            return "WAL: nothing archived; a point-in-time restore can only go to the end of a base backup";
        }

        var newest = wal.Max(e => e.Archived);
        var text = string.Create(CultureInfo.InvariantCulture, $"WAL: {segments.Count} segment(s) {segments[0]}..{segments[^1]}, newest archived {Durations.Format(now - newest)} ago");
        if (sets.OrderBy(s => s.SetId, StringComparer.Ordinal).FirstOrDefault() is not { } oldest)
        {
            return text + "; no base backup to replay them onto";
        }

        var gaps = WalChain.FindGaps(WalSegmentName.Parse(oldest.WalStart), segments, oldest.WalSegmentSize);
        return text + (gaps.Count == 0
            ? $"; unbroken from set {oldest.SetId}: any point from {Timestamps.Format(oldest.Finished)} to the newest archived WAL can be restored"
            : $"; gaps: {string.Join(", ", gaps)} (no restore can replay past a gap)");
    }
}
