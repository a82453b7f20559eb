namespace Rewind.Core.Backups;

/// <summary>Which set a restore starts from.</summary>
public static class BackupSelection
{
    /// <summary>
    /// The newest set that can reach <paramref name="target"/>: for a time, one that finished before it (recovery cannot
    /// stop before the backup is consistent); otherwise the newest set. <see langword="null"/> when none fits.
    /// </summary>
    public static BackupManifest? Choose(IEnumerable<BackupManifest> sets, RestoreTarget target)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var candidates = target is TimeTarget time ? sets.Where(set => set.Finished <= time.At) : sets;
        return candidates.OrderByDescending(set => set.SetId, StringComparer.Ordinal).FirstOrDefault();
    }
}
