namespace Rewind.Core.Releases;

/// <summary>Chooses rollback targets. The last known good is the newest stable release other than the one being left.</summary>
public static class LastKnownGood
{
    public static Release? Select(IEnumerable<Release> releases, string? excludingVersion = null) =>
        releases
            .Where(r => r.IsKnownGood && !string.Equals(r.Version, excludingVersion, StringComparison.Ordinal))
            .OrderByDescending(r => r.StableAt ?? r.RecordedAt)
            .ThenByDescending(r => r.RecordedAt)
            .FirstOrDefault();
}
