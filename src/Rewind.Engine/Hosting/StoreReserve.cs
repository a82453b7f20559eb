namespace Rewind.Engine.Hosting;

/// <summary>
/// Space kept aside on a SQLite store's disk (a file beside it, <c>rewind.db.reserve</c>, 8 MiB): when the disk fills
/// up, the reserve is released so that what must be written ahead of acting (incidents, decisions, rollback steps, their
/// timeline) still fits, while samples and traffic totals stay in memory. It is taken back once the disk has room for it
/// three times over. Nothing for a PostgreSQL store: its disk is the database server's.
/// </summary>
internal sealed class StoreReserve(string? storeFile)
{
    /// <summary>The space kept aside.</summary>
    public const long Bytes = 8 * 1024 * 1024;

    private readonly Lock _gate = new();

    public string? Path { get; } = storeFile is null ? null : storeFile + ".reserve";

    /// <summary>True while the reserve file exists.</summary>
    public bool Held => Path is not null && File.Exists(Path);

    /// <summary>Free bytes on the store's disk; null for a store that is not a local file.</summary>
    public long? FreeBytes()
    {
        if (Path is null)
        {
            return null;
        }

        try
        {
            return new DriveInfo(System.IO.Path.GetDirectoryName(Path)!).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Takes the reserve (written out, not sparse) when the disk has room for it three times over. True when held afterwards.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            if (Path is null || Held)
            {
                return Held;
            }

            if (FreeBytes() is not { } free || free < 3 * Bytes)
            {
                return false;
            }

            try
            {
                using var file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                var block = new byte[1 << 16];
                for (long written = 0; written < Bytes; written += block.Length)
                {
                    file.Write(block);
                }

                file.Flush(flushToDisk: true);
                return true;
            }
            catch (IOException)
            {
                File.Delete(Path); // a half-written reserve holds space it does not promise
                return false;
            }
        }
    }

    /// <summary>Gives the reserve's space back to the disk. True when there was one to give.</summary>
    public bool Release()
    {
        lock (_gate)
        {
            if (Path is null || !File.Exists(Path))
            {
                return false;
            }

            File.Delete(Path);
            return true;
        }
    }
}
