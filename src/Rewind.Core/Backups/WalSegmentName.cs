using System.Globalization;

namespace Rewind.Core.Backups;

/// <summary>
/// The name of one WAL segment file, <c>TTTTTTTTLLLLLLLLSSSSSSSS</c>: timeline, then the segment number split into a
/// "log" (high 32 bits of the position) and a segment within that log. How many segments a log holds depends on the
/// cluster's segment size (16 MiB by default: 256), so arithmetic takes the size.
/// </summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct WalSegmentName(uint Timeline, uint Log, uint Segment) : IComparable<WalSegmentName>
{
    /// <summary>PostgreSQL's default WAL segment size, 16 MiB.</summary>
    public const int DefaultSize = 16 * 1024 * 1024;

    public static bool TryParse(string? name, out WalSegmentName segment)
    {
        segment = default;
        if (name is not { Length: 24 } || !IsHex(name)
            || !uint.TryParse(name.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var timeline)
            || !uint.TryParse(name.AsSpan(8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var log)
            || !uint.TryParse(name.AsSpan(16, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var seg)
            || timeline == 0)
        {
            return false;
        }

        segment = new WalSegmentName(timeline, log, seg);
        return true;
    }

    public static WalSegmentName Parse(string name) =>
        TryParse(name, out var segment) ? segment : throw new FormatException($"'{name}' is not a WAL segment name (24 hex digits, e.g. 000000010000000000000003)");

    /// <summary>The segment that holds <paramref name="lsn"/> on <paramref name="timeline"/>.</summary>
    public static WalSegmentName FromLsn(uint timeline, Lsn lsn, int segmentSize) => FromNumber(timeline, lsn.Value / Size(segmentSize), segmentSize);

    /// <summary>The segment from its position in the WAL stream (LSN / segment size).</summary>
    public static WalSegmentName FromNumber(uint timeline, ulong number, int segmentSize)
    {
        var perLog = SegmentsPerLog(segmentSize);
        return new WalSegmentName(timeline, checked((uint)(number / perLog)), (uint)(number % perLog));
    }

    /// <summary>This segment's position in the WAL stream, independent of the timeline.</summary>
    public ulong Number(int segmentSize) => (Log * SegmentsPerLog(segmentSize)) + Segment;

    public WalSegmentName Next(int segmentSize) => FromNumber(Timeline, Number(segmentSize) + 1, segmentSize);

    /// <summary>A segment size PostgreSQL accepts: a power of two from 1 MiB to 1 GiB.</summary>
    public static bool IsValidSize(long segmentSize) =>
        segmentSize is >= 1024 * 1024 and <= 1024 * 1024 * 1024 && (segmentSize & (segmentSize - 1)) == 0;

    public int CompareTo(WalSegmentName other) => (Timeline, Log, Segment).CompareTo((other.Timeline, other.Log, other.Segment));

    public static bool operator <(WalSegmentName left, WalSegmentName right) => left.CompareTo(right) < 0;

    public static bool operator >(WalSegmentName left, WalSegmentName right) => left.CompareTo(right) > 0;

    public static bool operator <=(WalSegmentName left, WalSegmentName right) => left.CompareTo(right) <= 0;

    public static bool operator >=(WalSegmentName left, WalSegmentName right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Timeline:X8}{Log:X8}{Segment:X8}");

    private static ulong SegmentsPerLog(int segmentSize) => 0x1_0000_0000UL / Size(segmentSize);

    private static ulong Size(int segmentSize) =>
        IsValidSize(segmentSize) ? (ulong)segmentSize : throw new ArgumentOutOfRangeException(nameof(segmentSize), segmentSize, "a WAL segment size is a power of two from 1 MiB to 1 GiB");

    internal static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitUpper(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
