namespace Rewind.Runtime.Backups;

/// <summary>
/// A set being written: its objects, then <see cref="Publish"/> with the manifest, the commit point. Disposed unpublished,
/// it removes what it wrote where it can; what it cannot (a killed process) is never listed and expiry removes it.
/// </summary>
internal abstract class SetWriter : IDisposable
{
    /// <summary>A new object of the set, <paramref name="relative"/> to its folder (<c>pg_data/base/5/1259.gz</c>).</summary>
    public abstract ObjectWriter Create(string relative);

    /// <summary>A directory of the set (a file system keeps it; object storage has none).</summary>
    public virtual void CreateFolder(string relative)
    {
    }

    /// <summary>Writes <c>manifest.json</c> after every object, and makes the set visible as a whole.</summary>
    public abstract void Publish(byte[] manifest);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
