using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

public sealed partial class PointInTimeRestore
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Recreates the set's directories and files in <paramref name="restoring"/>, largest files first and in parallel,
    /// each checked against its size and SHA-256 as it is written and flushed to disk. Returns the bytes written.
    /// </summary>
    private async Task<long> RestoreFilesAsync(BackupManifest manifest, string restoring, UnixOwner? owner, CancellationToken cancellationToken)
    {
        var setDirectory = _repository.SetDirectory(manifest.SetId);
        FileSystem.CreateDirectory(restoring, DirectoryMode);
        var directories = new List<string> { restoring };
        foreach (var directory in manifest.Directories.OrderBy(d => d.Path, StringComparer.Ordinal))
        {
            var path = Resolve(restoring, directory.Path);
            FileSystem.CreateDirectory(path, (UnixFileMode)directory.Mode);
            directories.Add(path);
        }

        long bytes = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _repository.Options.Parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(manifest.Files.OrderByDescending(file => file.Size), parallel, (file, token) =>
        {
            RestoreFile(setDirectory, restoring, file, owner, token);
            Interlocked.Add(ref bytes, file.Size);
            return ValueTask.CompletedTask;
        });

        foreach (var directory in directories)
        {
            if (owner is { } user)
            {
                FileSystem.Chown(directory, user);
            }

            FileSystem.SyncDirectory(directory);
        }

        return bytes;
    }

    private void RestoreFile(string setDirectory, string restoring, ManifestFile file, UnixOwner? owner, CancellationToken cancellationToken)
    {
        var destination = Resolve(restoring, file.Path);
        var options = FileSystem.NewFile(file.Size, (UnixFileMode)file.Mode);
        var stored = BackupRepository.StoredFilePath(setDirectory, file);
        if (!File.Exists(stored))
        {
            throw new BackupIntegrityException($"{file.Path}: the stored file {stored} is missing");
        }

        using (var output = new FileStream(destination, options))
        {
            var (size, sha256) = StoredFile.Read(stored, file.Compression, file.Encrypted, _repository.Options.Key, output, cancellationToken);
            if (size != file.Size || sha256 != file.Sha256)
            {
                throw new BackupIntegrityException($"{file.Path} fails its checksum ({size} bytes, sha256 {sha256}; the manifest says {file.Size} bytes, sha256 {file.Sha256})");
            }

            output.Flush(flushToDisk: true);
        }

        File.SetLastWriteTimeUtc(destination, file.Modified.UtcDateTime);
        if (owner is { } user)
        {
            FileSystem.Chown(destination, user);
        }
    }

    /// <summary>A manifest path inside <paramref name="root"/>; a path that climbs out (a tampered manifest) is refused.</summary>
    private static string Resolve(string root, string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new BackupIntegrityException($"the manifest names a path outside the data directory: {relativePath}");
    }
}
