namespace Rewind.Runtime.Backups;

/// <summary>
/// The commit point every kind of set shares: the manifest is written last, every file and directory is made durable,
/// then the set's directory is renamed from <c>tmp/</c> to its final place, so a killed backup never leaves a set that
/// looks complete.
/// </summary>
internal static class SetPublisher
{
    public static void Publish(string work, byte[] manifest, string destination)
    {
        using (var stream = new FileStream(Path.Combine(work, BackupRepository.ManifestName), FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(manifest);
            stream.Flush(flushToDisk: true);
        }

        foreach (var directory in Directory.EnumerateDirectories(work, "*", SearchOption.AllDirectories).Append(work))
        {
            FileSystem.SyncDirectory(directory);
        }

        var parent = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(parent);
        Directory.Move(work, destination);
        FileSystem.SyncDirectory(parent);
    }
}
