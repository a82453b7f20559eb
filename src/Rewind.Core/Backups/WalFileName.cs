using System.Globalization;

namespace Rewind.Core.Backups;

/// <summary>What kind of file <c>archive_command</c> hands over.</summary>
public enum WalFileKind
{
    /// <summary>A full WAL segment, <c>000000010000000000000003</c>.</summary>
    Segment,

    /// <summary>The last, incomplete segment of a timeline archived at promotion, <c>000000010000000000000003.partial</c>.</summary>
    Partial,

    /// <summary>A timeline history file, <c>00000002.history</c>.</summary>
    History,

    /// <summary>A backup history file, <c>000000010000000000000003.00000028.backup</c>.</summary>
    BackupHistory,
}

/// <summary>
/// A file name PostgreSQL archives, validated strictly: only these four shapes (upper-case hex) are accepted, so a name
/// can never climb out of the archive directory.
/// </summary>
public sealed record WalFileName(string Name, WalFileKind Kind, uint Timeline, WalSegmentName? Segment)
{
    public static WalFileName? TryParse(string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (WalSegmentName.TryParse(name, out var segment))
        {
            return new WalFileName(name, WalFileKind.Segment, segment.Timeline, segment);
        }

        if (name.Length == 32 && name.EndsWith(".partial", StringComparison.Ordinal) && WalSegmentName.TryParse(name[..24], out segment))
        {
            return new WalFileName(name, WalFileKind.Partial, segment.Timeline, segment);
        }

        if (name.Length == 40 && name[24] == '.' && name.EndsWith(".backup", StringComparison.Ordinal)
            && WalSegmentName.TryParse(name[..24], out segment) && WalSegmentName.IsHex(name.AsSpan(25, 8)))
        {
            return new WalFileName(name, WalFileKind.BackupHistory, segment.Timeline, segment);
        }

        if (name.Length == 16 && name.EndsWith(".history", StringComparison.Ordinal) && WalSegmentName.IsHex(name.AsSpan(0, 8))
            && uint.TryParse(name.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var timeline) && timeline > 0)
        {
            return new WalFileName(name, WalFileKind.History, timeline, null);
        }

        return null;
    }

    /// <summary>The timeline as its archive directory names it: eight hex digits.</summary>
    public string TimelineDirectory => FormatTimeline(Timeline);

    public static string FormatTimeline(uint timeline) => timeline.ToString("X8", CultureInfo.InvariantCulture);
}
