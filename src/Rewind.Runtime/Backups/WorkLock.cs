namespace Rewind.Runtime.Backups;

/// <summary>
/// Marks a work directory under the repository's <c>tmp/</c> as in use: <c>tmp/&lt;name&gt;.lock</c>, held open with an
/// exclusive lock (an advisory <c>flock</c> on Linux) for as long as the work runs. A process killed mid-way releases it,
/// so expiry can tell a leftover from work in progress.
/// </summary>
internal sealed class WorkLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;

    private WorkLock(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    public static WorkLock Acquire(string workDirectory)
    {
        var path = PathOf(workDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new WorkLock(new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None), path);
    }

    public static string PathOf(string workDirectory) => Path.TrimEndingDirectorySeparator(workDirectory) + ".lock";

    /// <summary>Whether a live process holds the lock of <paramref name="workDirectory"/>.</summary>
    public static bool IsHeld(string workDirectory)
    {
        try
        {
            using var probe = new FileStream(PathOf(workDirectory), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        File.Delete(_path); // removed while still held, so nobody can take a leftover for one
        _stream.Dispose();
    }
}
