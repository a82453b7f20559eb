namespace Rewind.Core.Backups;

/// <summary>
/// Which sets a repository keeps, per kind (base backups, dumps, file sets): always the newest <c>count</c>, and beyond
/// those every set younger than <c>age</c>. Base backups expire per chain (<see cref="BackupChains"/>): a chain (a full
/// set and the incrementals after it) is kept whole as long as any of its sets is kept, so a set another kept set
/// depends on (as an ancestor or as the holder of its files) is never removed. The WAL kept is what the oldest kept set
/// needs and everything after it; older segments serve only the expired sets. Timeline history files are always kept
/// (they are tiny and recovery follows them).
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
        var keep = WithChains(Kept(sets, set => set.SetId, set => set.Finished, now, count, age), sets);
        var expire = sets.Except(keep).OrderBy(set => set.SetId, StringComparer.Ordinal).ToList();
        var oldestKept = keep.Count == 0 ? null : keep.MinBy(set => WalSegmentName.Parse(set.WalStart).Number(set.WalSegmentSize));
        return new RetentionDecision(
            keep,
            expire,
            oldestKept is null ? null : WalSegmentName.Parse(oldestKept.WalStart),
            oldestKept?.WalSegmentSize ?? WalSegmentName.DefaultSize);
    }

    /// <summary>
    /// <paramref name="kept"/> plus every set of the chains they belong to, and every set any of those needs (ancestors,
    /// holders of their files), oldest first: what a kept set depends on is never expired without it.
    /// </summary>
    public static IReadOnlyList<BackupManifest> WithChains(IReadOnlyList<BackupManifest> kept, IReadOnlyList<BackupManifest> sets)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(sets);
        var byId = sets.ToDictionary(set => set.SetId, StringComparer.Ordinal);
        var keptRoots = kept.Select(set => BackupChains.RootOf(set, byId)).ToHashSet(StringComparer.Ordinal);
        var keep = sets.Where(set => keptRoots.Contains(BackupChains.RootOf(set, byId))).Select(set => set.SetId).ToHashSet(StringComparer.Ordinal);
        foreach (var set in sets.Where(set => keep.Contains(set.SetId)).ToList())
        {
            keep.UnionWith(BackupChains.Dependencies(set, byId).Needed.Where(byId.ContainsKey));
        }

        return [.. sets.Where(set => keep.Contains(set.SetId)).OrderBy(set => set.SetId, StringComparer.Ordinal)];
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
