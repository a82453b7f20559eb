using System.Globalization;
using Rewind.Engine;

namespace Rewind.Server.Hosting;

/// <summary>
/// One controller per SQLite store: <c>rewind serve</c> holds an exclusive lock on a file beside the store
/// (<c>rewind.db.controller</c>, flock(2) through <see cref="FileShare.None"/>) for as long as it runs, so a second
/// controller on the same file is refused at start instead of probing, deciding and paging twice. The kernel drops the
/// lock when the process ends, even on SIGKILL, so a crash never leaves the store locked. <c>rewind.db.controller.holder</c>
/// says which process took it last. Other commands that open the store (<c>access</c>, <c>backup</c>) take no lock.
/// </summary>
internal sealed class ControllerLock : IDisposable
{
    private readonly FileStream _file;

    private ControllerLock(FileStream file) => _file = file;

    /// <summary>Takes the lock beside <paramref name="storeFile"/>, or throws <see cref="RewindStartException"/> naming its holder.</summary>
    public static ControllerLock Take(string storeFile, DateTimeOffset now)
    {
        var path = storeFile + ".controller";
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var holder = ReadHolder(path + ".holder");
            throw new RewindStartException($"another controller already runs on the SQLite store {storeFile}{holder}; a SQLite store serves one controller. Stop that one first, or give this one a store of its own (several controllers need a PostgreSQL store)");
        }

        // Who holds it, in a file of its own: .NET locks a file it opens, so the locked one cannot be read by another.
        File.WriteAllText(path + ".holder", string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} on {Environment.MachineName} since {now:yyyy-MM-dd'T'HH:mm:ss'Z'}\n"));
        return new ControllerLock(file);
    }

    public void Dispose() => _file.Dispose();

    private static string ReadHolder(string path)
    {
        try
        {
            var line = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
            return line.Length == 0 ? "" : $" ({line})";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
