namespace Rewind.Runtime.Backups;

/// <summary>The newest things in a repository, found without reading all of it (the backup signals ask often).</summary>
public sealed partial class BackupRepository
{
    /// <summary>
    /// When the newest WAL file was archived: the entries with the highest names on the newest timeline that has any
    /// (names sort in WAL order), or <see langword="null"/> when nothing is archived.
    /// </summary>
    public async Task<DateTimeOffset?> NewestWalArchivedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var timeline in (await Objects.ListFoldersAsync("wal", cancellationToken)).Reverse())
        {
            var newest = (await Objects.ListKeysAsync("wal/" + timeline, cancellationToken))
                .Where(key => key.EndsWith(".json", StringComparison.Ordinal) && key.Count(c => c == '/') == 2)
                .OrderDescending(StringComparer.Ordinal)
                .Take(3); // a segment, its .backup file and its .partial may share the top
            DateTimeOffset? archived = null;
            foreach (var key in newest)
            {
                if (await ReadWalEntryAsync(key, cancellationToken) is { } entry && (archived is null || entry.Archived > archived))
                {
                    archived = entry.Archived;
                }
            }

            if (archived is not null)
            {
                return archived;
            }
        }

        return null;
    }

    /// <summary>When the newest complete base backup finished, or <see langword="null"/> when there is none.</summary>
    public async Task<DateTimeOffset?> NewestSetFinishedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var id in (await ListSetIdsAsync(cancellationToken)).Reverse())
        {
            if (await ReadSetAsync(id, cancellationToken) is { } set)
            {
                return set.Finished;
            }
        }

        return null;
    }
}
