using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Fetches the WAL a restore will replay ahead of PostgreSQL, into a spool directory its <c>restore_command</c> takes
/// the files from (<see cref="RecoverySettings.WithSpool"/>): two files decrypted and checked at a time, at most
/// <c>ahead</c> waiting, so replay never waits for a process to start per segment. Names replay asks for that the
/// archive did not hold when the restore began (the next timeline's history, the segment after the newest) are marked
/// <c>NAME.none</c>, so "not in the archive" is answered at once too. Anything not spooled falls back to the fetch command.
/// </summary>
internal sealed class WalSpool : IAsyncDisposable
{
    private const int Ahead = 8;
    private readonly CancellationTokenSource _stop;
    private readonly Task _filling;

    private WalSpool(string directory, CancellationTokenSource stop, Task filling)
    {
        Directory = directory;
        _stop = stop;
        _filling = filling;
    }

    public string Directory { get; }

    public static WalSpool Start(BackupRepository repository, BackupManifest set, string directory, UnixOwner? owner, CancellationToken cancellationToken)
    {
        FileSystem.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (owner is { } user)
        {
            FileSystem.Chown(directory, user);
        }

        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return new WalSpool(directory, stop, Task.Run(() => FillAsync(repository, set, directory, owner, stop.Token), CancellationToken.None));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _filling;
        }
        catch (OperationCanceledException)
        {
            // stopped with the restore
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

    private static async Task FillAsync(BackupRepository repository, BackupManifest set, string directory, UnixOwner? owner, CancellationToken cancellationToken)
    {
        var archived = (await repository.ListWalAsync(cancellationToken)).Select(e => WalFileName.TryParse(e.Name)).OfType<WalFileName>().ToList();
        var start = WalSegmentName.Parse(set.WalStart);
        var histories = archived.Where(n => n.Kind == WalFileKind.History).Select(n => n.Name);
        var segments = archived.Where(n => n.Kind == WalFileKind.Segment && n.Segment is { } s && s.Timeline == start.Timeline && s >= start).OrderBy(n => n.Segment).ToList();
        MarkMissing(directory, archived, segments, set.WalSegmentSize, owner);
        var archive = new WalArchive(repository);
        await Parallel.ForEachAsync(
            histories.Concat(segments.Select(s => s.Name)),
            new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken },
            async (name, token) =>
            {
                while (Waiting(directory) >= Ahead)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(10), token);
                }

                var path = Path.Combine(directory, name);
                if ((await archive.FetchAsync(name, path, token)).Succeeded && owner is { } user)
                {
                    FileSystem.Chown(path, user);
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

    private static int Waiting(string directory) =>
        System.IO.Directory.EnumerateFiles(directory).Count(f => !f.EndsWith(".none", StringComparison.Ordinal) && !FileSystem.IsTemporary(Path.GetFileName(f)));
}
