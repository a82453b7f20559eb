namespace Rewind.Core.Backups;

/// <summary>
/// Which base backups a repository keeps: always the newest <c>count</c>, and beyond those every set younger than
/// <c>age</c>. The WAL kept is what the oldest kept set needs and everything after it; older segments serve only the
/// expired sets. Timeline history files are always kept (they are tiny and recovery follows them).
/// </summary>
public static class Retention
{
    public static RetentionDecision Decide(IReadOnlyList<BackupManifest> sets, DateTimeOffset now, int count, TimeSpan age)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var newestFirst = sets.OrderByDescending(set => set.Finished).ThenByDescending(set => set.SetId, StringComparer.Ordinal).ToList();
        var keep = newestFirst.Where((set, index) => index < count || now - set.Finished < age).ToList();
        var expire = newestFirst.Except(keep).OrderBy(set => set.SetId, StringComparer.Ordinal).ToList();
        var oldestKept = keep.Count == 0 ? null : keep.MinBy(set => WalSegmentName.Parse(set.WalStart).Number(set.WalSegmentSize));
        return new RetentionDecision(
            keep.OrderBy(set => set.SetId, StringComparer.Ordinal).ToList(),
            expire,
            oldestKept is null ? null : WalSegmentName.Parse(oldestKept.WalStart),
            oldestKept?.WalSegmentSize ?? WalSegmentName.DefaultSize);
    }
}

/// <summary>What <see cref="Retention.Decide"/> chose.</summary>
/// <param name="Keep">Sets kept, oldest first.</param>
/// <param name="Expire">Sets to remove, oldest first.</param>
/// <param name="WalKeptFrom">The first segment the oldest kept set needs; <see langword="null"/> (no set at all) keeps every WAL file.</param>
/// <param name="WalSegmentSize">The segment size positions are compared in.</param>
public sealed record RetentionDecision(IReadOnlyList<BackupManifest> Keep, IReadOnlyList<BackupManifest> Expire, WalSegmentName? WalKeptFrom, int WalSegmentSize)
{
    /// <summary>
    /// Whether an archived WAL file serves only expired sets: a segment, partial segment or backup history file that lies
    /// before <see cref="WalKeptFrom"/> on its timeline or an older one. History files and everything on a newer timeline stay.
    /// </summary>
    public bool Expires(WalFileName file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return WalKeptFrom is { } from && file.Segment is { } segment && file.Kind != WalFileKind.History
            && segment.Timeline <= from.Timeline && segment.Number(WalSegmentSize) < from.Number(WalSegmentSize);
    }
}
