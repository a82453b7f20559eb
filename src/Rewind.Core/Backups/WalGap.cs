namespace Rewind.Core.Backups;

/// <summary>A run of consecutive WAL segments missing from the archive, both ends included.</summary>
public sealed record WalGap(WalSegmentName First, WalSegmentName Last)
{
    /// <summary><c>missing 000000010000000000000007..000000010000000000000009</c>, or one name when one segment is missing.</summary>
    public override string ToString() => First == Last ? $"missing {First}" : $"missing {First}..{Last}";
}
