using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Applies retention to a repository: removes the base backups <see cref="Retention"/> lets go, then the WAL only they
/// needed, then leftovers of killed work under <c>tmp/</c>. A set is first renamed out of <c>sets/</c> (so it stops
/// counting at once) and then deleted; a WAL file's entry goes before its bytes. Nothing unreadable is ever removed: a
/// set whose manifest cannot be read is not a set retention knows about, and verification reports it.
/// </summary>
public sealed class BackupExpiry(BackupRepository repository, TimeProvider? timeProvider = null)
{
    /// <summary>How old a released work lock must be before its directory counts as a leftover. Default 10 minutes.</summary>
    public TimeSpan LeftoverLockAge { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How old a work directory without any lock must be before it counts as a leftover. Default one day.</summary>
    public TimeSpan LeftoverAge { get; init; } = TimeSpan.FromDays(1);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<ExpiryResult> ExpireAsync(int count, TimeSpan age, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var now = _time.GetUtcNow();
        var decision = Retention.Decide(await repository.ListSetsAsync(cancellationToken), now, count, age);
        var wal = (await repository.ListWalAsync(cancellationToken))
            .Select(entry => (Entry: entry, Name: WalFileName.TryParse(entry.Name)))
            .Where(w => w.Name is not null && decision.Expires(w.Name))
            .ToList();
        var leftovers = Leftovers(now).ToList();
        var freed = decision.Expire.Sum(set => set.TotalStoredSize) + wal.Sum(w => w.Entry.StoredSize);
        if (!dryRun)
        {
            foreach (var set in decision.Expire)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RemoveSet(set.SetId);
            }

            foreach (var (entry, name) in wal)
            {
                cancellationToken.ThrowIfCancellationRequested();
                File.Delete(repository.WalEntryPath(name!));
                File.Delete(repository.WalStoredPath(entry, name!.Timeline));
            }

            foreach (var leftover in leftovers)
            {
                DeleteTree(leftover);
                File.Delete(WorkLock.PathOf(leftover));
            }
        }

        return new ExpiryResult(dryRun, decision.Keep.Select(s => s.SetId).ToList(), decision.Expire.Select(s => s.SetId).ToList(), wal.Count, decision.WalKeptFrom?.ToString(), freed, leftovers.Select(Path.GetFileName).OfType<string>().ToList());
    }

    private void RemoveSet(string setId)
    {
        var doomed = Path.Combine(repository.TemporaryDirectory, $"expired-{setId}");
        Directory.CreateDirectory(repository.TemporaryDirectory);
        Directory.Move(repository.SetDirectory(setId), doomed);
        FileSystem.SyncDirectory(repository.SetsDirectory);
        DeleteTree(doomed);
    }

    /// <summary>
    /// Work directories under <c>tmp/</c> nobody is working in: an expired set whose deletion was cut short, one whose
    /// lock is released and older than <see cref="LeftoverLockAge"/>, or one without a lock older than <see cref="LeftoverAge"/>.
    /// </summary>
    private IEnumerable<string> Leftovers(DateTimeOffset now)
    {
        if (!Directory.Exists(repository.TemporaryDirectory))
        {
            yield break;
        }

        foreach (var directory in Directory.EnumerateDirectories(repository.TemporaryDirectory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory);
            var lockFile = new FileInfo(WorkLock.PathOf(directory));
            var leftover = name.StartsWith("expired-", StringComparison.Ordinal)
                || (lockFile.Exists ? now - new DateTimeOffset(lockFile.LastWriteTimeUtc) > LeftoverLockAge && !WorkLock.IsHeld(directory)
                    : now - new DateTimeOffset(Directory.GetLastWriteTimeUtc(directory)) > LeftoverAge);
            if (leftover)
            {
                yield return directory;
            }
        }
    }

    private static void DeleteTree(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>What one expiry removed (or, for a dry run, would remove).</summary>
/// <param name="DryRun">Nothing was removed.</param>
/// <param name="Kept">Sets kept, oldest first.</param>
/// <param name="Expired">Sets removed, oldest first.</param>
/// <param name="WalFilesExpired">Archived WAL files removed.</param>
/// <param name="WalKeptFrom">The first WAL segment kept (the oldest kept set's start), when any set exists.</param>
/// <param name="BytesFreed">Stored bytes of the removed sets and WAL.</param>
/// <param name="Leftovers">Work directories of killed runs removed from <c>tmp/</c>.</param>
public sealed record ExpiryResult(bool DryRun, IReadOnlyList<string> Kept, IReadOnlyList<string> Expired, int WalFilesExpired, string? WalKeptFrom, long BytesFreed, IReadOnlyList<string> Leftovers)
{
    public string Describe() =>
        $"{(DryRun ? "would expire" : "expired")} {Expired.Count} set(s){(Expired.Count == 0 ? "" : " (" + string.Join(", ", Expired) + ")")} and {WalFilesExpired} WAL file(s), {Sizes.Format(BytesFreed)}; "
        + $"{Kept.Count} set(s) kept{(WalKeptFrom is null ? "" : ", WAL from " + WalKeptFrom)}{(Leftovers.Count == 0 ? "" : $"; {Leftovers.Count} leftover(s) of killed work {(DryRun ? "to remove" : "removed")}")}";
}
