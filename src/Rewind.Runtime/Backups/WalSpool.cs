using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Fetches the WAL a restore will replay ahead of PostgreSQL, into a spool directory its <c>restore_command</c> takes
/// the files from (<see cref="RecoverySettings.WithSpool"/>): two files decrypted and checked at a time, at most
/// <c>ahead</c> waiting, so replay never waits for a process to start per segment. Every file the spool will fetch is
/// marked <c>NAME.coming</c> before PostgreSQL starts, and replay asking for one waits for it rather than fetching it a
/// second time. Names replay asks for that the archive did not hold when the restore began (the next timeline's history,
/// the segment after the newest) are marked <c>NAME.none</c>, so "not in the archive" is answered at once too. Anything
/// not spooled (a fetch that failed, a coming file that took too long) falls back to the fetch command.
/// </summary>
internal sealed class WalSpool : IAsyncDisposable
{
    private const int Ahead = 8;
    private const string ComingSuffix = ".coming";
    private readonly CancellationTokenSource _stop;
    private readonly Task _filling;

    private WalSpool(string directory, CancellationTokenSource stop, Task filling)
    {
        Directory = directory;
        _stop = stop;
        _filling = filling;
    }

    public string Directory { get; }

    /// <summary>
    /// Lists the archive, marks what replay will ask for (<c>NAME.coming</c> for each file the spool will fetch, <c>NAME.none</c>
    /// for what the archive does not hold) and starts filling. Called before PostgreSQL starts, so that every name it asks
    /// for is already marked: its <c>restore_command</c> waits for a coming file instead of racing the spool with a fetch.
    /// </summary>
    public static async Task<WalSpool> StartAsync(BackupRepository repository, BackupManifest set, string directory, UnixOwner? owner, TimeProvider time, CancellationToken cancellationToken)
    {
        FileSystem.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (owner is { } user)
        {
            FileSystem.Chown(directory, user);
        }

        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        IReadOnlyList<string> coming;
        try
        {
            coming = await MarkAsync(repository, set, directory, owner, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BackupIntegrityException)
        {
            coming = []; // nothing spooled: replay fetches every file itself, as without a spool
        }

        return new WalSpool(directory, stop, Task.Run(() => FillAsync(repository, directory, owner, coming, time, stop.Token), CancellationToken.None));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _filling;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or UnauthorizedAccessException or BackupIntegrityException)
        {
            // stopped with the restore, or a file the spool could not fetch: replay fetched that one itself
        }

        _stop.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a spool left behind holds copies of archived files only; the next restore's leftovers sweep removes it
        }
    }

    /// <summary>The names the spool will fetch, in replay's order, each marked coming; the names replay asks for that the archive lacks, marked none.</summary>
    private static async Task<IReadOnlyList<string>> MarkAsync(BackupRepository repository, BackupManifest set, string directory, UnixOwner? owner, CancellationToken cancellationToken)
    {
        var archived = (await repository.ListWalAsync(cancellationToken)).Select(e => WalFileName.TryParse(e.Name)).OfType<WalFileName>().ToList();
        var start = WalSegmentName.Parse(set.WalStart);
        var histories = archived.Where(n => n.Kind == WalFileKind.History).Select(n => n.Name);
        var segments = archived.Where(n => n.Kind == WalFileKind.Segment && n.Segment is { } s && s.Timeline == start.Timeline && s >= start).OrderBy(n => n.Segment).ToList();
        MarkMissing(directory, archived, segments, set.WalSegmentSize, owner);
        var coming = histories.Concat(segments.Select(s => s.Name)).ToList();
        foreach (var name in coming)
        {
            File.WriteAllBytes(Path.Combine(directory, name + ComingSuffix), []);
        }

        return coming;
    }

    /// <summary>
    /// Fetches the coming files, two at a time, at most <see cref="Ahead"/> segments waiting for replay; each file's coming
    /// mark is removed once the file is in place, or once its fetch failed (then replay fetches it itself).
    /// </summary>
    private static async Task FillAsync(BackupRepository repository, string directory, UnixOwner? owner, IReadOnlyList<string> coming, TimeProvider time, CancellationToken cancellationToken)
    {
        var archive = new WalArchive(repository);
        await Parallel.ForEachAsync(
            coming,
            new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken },
            async (name, token) =>
            {
                try
                {
                    while (Waiting(directory) >= Ahead)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(10), time, token);
                    }

                    var path = Path.Combine(directory, name);
                    if ((await archive.FetchAsync(name, path, token)).Succeeded && owner is { } user)
                    {
                        FileSystem.Chown(path, user);
                    }
                }
                finally
                {
                    File.Delete(Path.Combine(directory, name + ComingSuffix));
                }
            });
    }

    /// <summary>The names replay asks for at its end that the archive does not hold: answered "not there" without a process.</summary>
    private static void MarkMissing(string directory, List<WalFileName> archived, List<WalFileName> segments, int segmentSize, UnixOwner? owner)
    {
        var names = archived.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var newestTimeline = archived.Count == 0 ? 1u : archived.Max(n => n.Timeline);
        var missing = new List<string> { $"{WalFileName.FormatTimeline(newestTimeline + 1)}.history" };
        if (segments.Count > 0)
        {
            missing.Add(segments[^1].Segment!.Value.Next(segmentSize).ToString());
        }

        foreach (var name in missing.Where(n => !names.Contains(n)))
        {
            var marker = Path.Combine(directory, name + ".none");
            File.WriteAllBytes(marker, []);
            if (owner is { } user)
            {
                FileSystem.Chown(marker, user);
            }
        }
    }

    /// <summary>Segments fetched and not yet taken by replay (history files are few and not all asked for: they never hold the spool up).</summary>
    private static int Waiting(string directory) =>
        System.IO.Directory.EnumerateFiles(directory).Select(Path.GetFileName).Count(name => WalFileName.TryParse(name) is { Kind: WalFileKind.Segment });
}
