using System.Globalization;

namespace Rewind.Runtime.Backups;

/// <summary>What a swap is about to do, written before the first rename so an interrupted swap can be finished.</summary>
internal sealed record SwapJournal(string DataDirectory, string Restored, string Replaced);

/// <summary>
/// Puts a restored data directory in place of the live one with two renames: live → <c>&lt;data&gt;.replaced-&lt;UTC&gt;</c>,
/// restored → live. A journal (<c>&lt;data&gt;.rewind-swap.json</c>) is made durable first; if the process dies between
/// the renames, <see cref="Complete"/> (run at the start of every restore) finishes the swap. Nothing is deleted.
/// </summary>
internal static class DataDirectorySwap
{
    public static string JournalPath(string dataDirectory) => dataDirectory + ".rewind-swap.json";

    /// <summary>Swaps and returns where the old data directory went (<see langword="null"/> when there was none).</summary>
    public static string? Swap(string dataDirectory, string restored, DateTimeOffset now)
    {
        var replaced = $"{dataDirectory}.replaced-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        var hadLive = Directory.Exists(dataDirectory);
        FileSystem.WriteAtomically(JournalPath(dataDirectory), BackupJson.Serialize(new SwapJournal(dataDirectory, restored, replaced)));
        Finish(new SwapJournal(dataDirectory, restored, replaced));
        return hadLive ? replaced : null;
    }

    /// <summary>Finishes a swap a killed process left half done; returns what it did, or <see langword="null"/> when none was pending.</summary>
    public static string? Complete(string dataDirectory)
    {
        var path = JournalPath(dataDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        var journal = BackupJson.Deserialize<SwapJournal>(File.ReadAllBytes(path))
            ?? throw new InvalidOperationException($"unreadable swap journal {path}");
        return Finish(journal);
    }

    private static string Finish(SwapJournal journal)
    {
        var parent = Path.GetDirectoryName(journal.DataDirectory)!;
        string done;
        if (!Directory.Exists(journal.Restored))
        {
            // The second rename happened (or the restored copy is gone): the live directory is whatever is in place.
            done = $"swap into {journal.DataDirectory} was already complete";
        }
        else
        {
            if (Directory.Exists(journal.DataDirectory))
            {
                if (Directory.Exists(journal.Replaced))
                {
                    throw new InvalidOperationException($"cannot finish the swap: {journal.DataDirectory}, {journal.Restored} and {journal.Replaced} all exist; resolve by hand and remove {JournalPath(journal.DataDirectory)}");
                }

                Directory.Move(journal.DataDirectory, journal.Replaced);
            }

            Directory.Move(journal.Restored, journal.DataDirectory);
            done = $"moved {journal.Restored} to {journal.DataDirectory}; the previous data directory is {journal.Replaced}";
        }

        FileSystem.SyncDirectory(parent);
        File.Delete(JournalPath(journal.DataDirectory));
        FileSystem.SyncDirectory(parent);
        return done;
    }

    /// <summary>The pid of a live postmaster on <paramref name="dataDirectory"/>, or <see langword="null"/>.</summary>
    public static int? RunningPostmaster(string dataDirectory)
    {
        try
        {
            var firstLine = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 && Directory.Exists($"/proc/{pid}") ? pid : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
