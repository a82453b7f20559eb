using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Applies retention to a repository: removes the base backups, dumps and file sets <see cref="Retention"/> lets go (each
/// kind counted on its own), then the WAL only the removed base backups needed, then leftovers of killed work under
/// <c>tmp/</c>. A set is removed with <see cref="BackupRepository.RemoveSet"/> (renamed out of sight first); a WAL file's
/// entry goes before its bytes. Nothing unreadable is ever removed: a set whose manifest cannot be read is not a set
/// retention knows about, and verification reports it.
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
        var others = new List<StoredSet>();
        foreach (var kind in new[] { SetKind.Dump, SetKind.Files })
        {
            var sets = await repository.ListStoredSetsAsync(kind, cancellationToken);
            others.AddRange(sets.Except(Retention.Kept(sets, s => s.SetId, s => s.Finished, now, count, age)));
        }

        var wal = (await repository.ListWalAsync(cancellationToken))
            .Select(entry => (Entry: entry, Name: WalFileName.TryParse(entry.Name)))
            .Where(w => w.Name is not null && decision.Expires(w.Name))
            .ToList();
        var leftovers = Leftovers(now).ToList();
        var objectLeftovers = await repository.Objects.ListLeftoversAsync(now - LeftoverAge, cancellationToken);
        var freed = decision.Expire.Sum(set => set.TotalStoredSize) + others.Sum(set => set.StoredSize) + wal.Sum(w => w.Entry.StoredSize);
        if (!dryRun)
        {
            var sets = decision.Expire.Select(s => (SetKind.Base, s.SetId)).Concat(others.Select(s => (s.Kind, s.SetId)));
            Remove(sets, wal.Select(w => (w.Entry, w.Name!)), leftovers, objectLeftovers, cancellationToken);
        }

        return new ExpiryResult(
            dryRun,
            [.. decision.Keep.Select(s => s.SetId)],
            [.. decision.Expire.Select(s => s.SetId)],
            wal.Count,
            decision.WalKeptFrom?.ToString(),
            freed,
            [.. leftovers.Select(Path.GetFileName).OfType<string>(), .. objectLeftovers])
        {
            DumpsExpired = [.. others.Where(s => s.Kind == SetKind.Dump).Select(s => s.SetId)],
            FileSetsExpired = [.. others.Where(s => s.Kind == SetKind.Files).Select(s => s.SetId)],
        };
    }

    private void Remove(
        IEnumerable<(SetKind Kind, string Id)> sets, IEnumerable<(WalEntry Entry, WalFileName Name)> wal, List<string> leftovers, IReadOnlyList<string> objectLeftovers, CancellationToken cancellationToken)
    {
        foreach (var (kind, id) in sets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            repository.RemoveSet(kind, id);
        }

        foreach (var (entry, name) in wal)
        {
            cancellationToken.ThrowIfCancellationRequested();
            repository.Objects.Delete(BackupRepository.WalEntryKey(name));
            repository.Objects.Delete($"{BackupRepository.WalFolder(name.Timeline)}/{BackupRepository.WalStoredName(entry)}");
        }

        foreach (var leftover in leftovers)
        {
            Directory.Delete(leftover, recursive: true);
            File.Delete(WorkLock.PathOf(leftover));
        }

        foreach (var leftover in objectLeftovers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            repository.Objects.RemoveLeftover(leftover);
        }
    }

    /// <summary>
    /// Work directories under <c>tmp/</c> nobody is working in: one whose lock is released and older than
    /// <see cref="LeftoverLockAge"/>, or one without a lock older than <see cref="LeftoverAge"/>.
    /// </summary>
    private IEnumerable<string> Leftovers(DateTimeOffset now)
    {
        if (!Directory.Exists(repository.WorkDirectory))
        {
            yield break;
        }

        foreach (var directory in Directory.EnumerateDirectories(repository.WorkDirectory).Order(StringComparer.Ordinal))
        {
            var lockFile = new FileInfo(WorkLock.PathOf(directory));
            var leftover = lockFile.Exists
                ? now - new DateTimeOffset(lockFile.LastWriteTimeUtc) > LeftoverLockAge && !WorkLock.IsHeld(directory)
                : now - new DateTimeOffset(Directory.GetLastWriteTimeUtc(directory)) > LeftoverAge;
            if (leftover)
            {
                yield return directory;
            }
        }
    }
}

/// <summary>What one expiry removed (or, for a dry run, would remove).</summary>
/// <param name="DryRun">Nothing was removed.</param>
/// <param name="Kept">Base backups kept, oldest first.</param>
/// <param name="Expired">Base backups removed, oldest first.</param>
/// <param name="WalFilesExpired">Archived WAL files removed.</param>
/// <param name="WalKeptFrom">The first WAL segment kept (the oldest kept base backup's start), when any set exists.</param>
/// <param name="BytesFreed">Stored bytes of everything removed.</param>
/// <param name="Leftovers">Work directories of killed runs removed from <c>tmp/</c>; in object storage also objects no manifest or WAL entry names (<c>sets/&lt;id&gt;</c>, <c>wal/…/NAME.gz</c>), older than <see cref="BackupExpiry.LeftoverAge"/>.</param>
public sealed record ExpiryResult(bool DryRun, IReadOnlyList<string> Kept, IReadOnlyList<string> Expired, int WalFilesExpired, string? WalKeptFrom, long BytesFreed, IReadOnlyList<string> Leftovers)
{
    /// <summary>Dump sets removed, oldest first.</summary>
    public IReadOnlyList<string> DumpsExpired { get; init; } = [];

    /// <summary>File sets removed, oldest first.</summary>
    public IReadOnlyList<string> FileSetsExpired { get; init; } = [];

    public string Describe() =>
        $"{(DryRun ? "would expire" : "expired")} {Expired.Count} set(s){List(Expired)} and {WalFilesExpired} WAL file(s)"
        + (DumpsExpired.Count == 0 ? "" : $", {DumpsExpired.Count} dump(s){List(DumpsExpired)}")
        + (FileSetsExpired.Count == 0 ? "" : $", {FileSetsExpired.Count} file set(s){List(FileSetsExpired)}")
        + $", {Sizes.Format(BytesFreed)}; {Kept.Count} set(s) kept{(WalKeptFrom is null ? "" : ", WAL from " + WalKeptFrom)}"
        + (Leftovers.Count == 0 ? "" : $"; {Leftovers.Count} leftover(s) of killed work {(DryRun ? "to remove" : "removed")}");

    private static string List(IReadOnlyList<string> ids) => ids.Count == 0 ? "" : " (" + string.Join(", ", ids) + ")";
}
