namespace Rewind.Core.Backups;

/// <summary>
/// Chains of base backups: a full set and the incremental sets taken after it, each naming the previous one as its
/// <see cref="BackupManifest.Parent"/>. A chain is intact when every set it depends on (each ancestor up to a full set,
/// and every set holding bytes of its files) is in the repository.
/// </summary>
public static class BackupChains
{
    /// <summary>The sets <paramref name="set"/> needs besides itself: its ancestors and the sets holding its files, in id order; with those of <paramref name="sets"/> missing.</summary>
    public static (IReadOnlyList<string> Needed, IReadOnlyList<string> Missing) Dependencies(BackupManifest set, IReadOnlyDictionary<string, BackupManifest> sets)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(sets);
        var needed = new SortedSet<string>(set.HoldingSets, StringComparer.Ordinal);
        needed.UnionWith(Ancestors(set, sets));
        return ([.. needed], [.. needed.Where(id => !sets.ContainsKey(id))]);
    }

    /// <summary>The ids of the ancestors of <paramref name="set"/>, its parent first, up to a full set or the first one missing (included).</summary>
    public static IReadOnlyList<string> Ancestors(BackupManifest set, IReadOnlyDictionary<string, BackupManifest> sets)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(sets);
        var ancestors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { set.SetId };
        for (var parent = set.Parent; parent is not null && seen.Add(parent); parent = sets.TryGetValue(parent, out var next) ? next.Parent : null)
        {
            ancestors.Add(parent);
        }

        return ancestors;
    }

    /// <summary>The id of the first set of <paramref name="set"/>'s chain: its full set, or the topmost set still present when the chain is broken.</summary>
    public static string RootOf(BackupManifest set, IReadOnlyDictionary<string, BackupManifest> sets)
    {
        ArgumentNullException.ThrowIfNull(set);
        var root = set.SetId;
        foreach (var ancestor in Ancestors(set, sets))
        {
            if (!sets.ContainsKey(ancestor))
            {
                break;
            }

            root = ancestor;
        }

        return root;
    }

    /// <summary>
    /// The parent of a new incremental: the newest set on <paramref name="timeline"/> with PostgreSQL major version
    /// <paramref name="version"/> and key <paramref name="keyId"/>, whose chain is intact and shorter than
    /// <paramref name="maxChain"/> incrementals (0 = no limit); else <see langword="null"/> and why a full set is taken instead.
    /// </summary>
    public static (BackupManifest? Parent, string? WhyFull) ChooseParent(IReadOnlyList<BackupManifest> sets, uint timeline, string version, string? keyId, int maxChain)
    {
        ArgumentNullException.ThrowIfNull(sets);
        if (sets.Count == 0)
        {
            return (null, "no earlier set");
        }

        var newest = sets.MaxBy(set => set.SetId, StringComparer.Ordinal)!;
        var byId = sets.ToDictionary(set => set.SetId, StringComparer.Ordinal);
        string? why = null;
        if (newest.Timeline != timeline)
        {
            why = $"the newest set {newest.SetId} is on timeline {newest.Timeline}, the cluster on {timeline}";
        }
        else if (newest.PostgresVersion != version)
        {
            why = $"the newest set {newest.SetId} is of PostgreSQL {newest.PostgresVersion}, the cluster is {version}";
        }
        else if (newest.KeyId != keyId)
        {
            why = $"the newest set {newest.SetId} is {(newest.KeyId is null ? "not encrypted" : "encrypted with key " + newest.KeyId)}, the repository's key is {keyId ?? "none"}";
        }
        else if (Dependencies(newest, byId).Missing is [var missing, ..])
        {
            why = $"the chain of the newest set {newest.SetId} is broken (set {missing} is missing)";
        }
        else if (maxChain > 0 && ChainLength(newest, byId) >= maxChain)
        {
            why = $"the chain of {newest.SetId} already has {maxChain} incremental(s) (max-chain {maxChain})";
        }

        return why is null ? (newest, null) : (null, why);
    }

    /// <summary>How many incrementals the chain holds up to and including <paramref name="set"/> (0 for a full set).</summary>
    public static int ChainLength(BackupManifest set, IReadOnlyDictionary<string, BackupManifest> sets) =>
        set.Type == BackupType.Full ? 0 : Ancestors(set, sets).Count(id => sets.TryGetValue(id, out var ancestor) && ancestor.Type == BackupType.Incremental) + 1;
}
