namespace Rewind.Core.Backups;

/// <summary>
/// Which sets a repository keeps, per kind (base backups, dumps, file sets): always the newest <c>count</c>, and beyond
/// those every set younger than <c>age</c>. The WAL kept is what the oldest kept set needs and everything after it; older segments serve only the
/// expired sets. Timeline history files are always kept (they are tiny and recovery follows them).
/// </summary>
public static class Retention
{
    /// <summary>The items kept by the rule (newest <paramref name="count"/>, and beyond those the younger than <paramref name="age"/>), oldest first.</summary>
    public static IReadOnlyList<T> Kept<T>(IEnumerable<T> items, Func<T, string> id, Func<T, DateTimeOffset> finished, DateTimeOffset now, int count, TimeSpan age)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return [.. items.OrderByDescending(finished).ThenByDescending(id, StringComparer.Ordinal)
            .Where((item, index) => index < count || now - finished(item) < age)
            .OrderBy(id, StringComparer.Ordinal)];
    }

    public static RetentionDecision Decide(IReadOnlyList<BackupManifest> sets, DateTimeOffset now, int count, TimeSpan age)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var keep = Kept(sets, set => set.SetId, set => set.Finished, now, count, age);
        var expire = sets.Except(keep).OrderBy(set => set.SetId, StringComparer.Ordinal).ToList();
        var oldestKept = keep.Count == 0 ? null : keep.MinBy(set => WalSegmentName.Parse(set.WalStart).Number(set.WalSegmentSize));
        return new RetentionDecision(
            keep,
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
