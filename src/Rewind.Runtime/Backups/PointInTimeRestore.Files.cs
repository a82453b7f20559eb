using Rewind.Core.Backups;
using Rewind.Runtime.Paths;

namespace Rewind.Runtime.Backups;

public sealed partial class PointInTimeRestore
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Recreates the set's directories and files in <paramref name="restoring"/>, largest files first and in parallel,
    /// each checked against its size and SHA-256 as it is written and flushed to disk. Returns the bytes written. Every
    /// path of the manifest is checked before anything is written and resolved beneath <paramref name="restoring"/> as it
    /// is used (<see cref="ContainedPath"/>): a tampered manifest never writes outside it. Each file is read from the set
    /// that holds its bytes (<see cref="ManifestFile.StoredIn"/> for an incremental set's unchanged files); every such set
    /// must exist before anything is written.
    /// </summary>
    private async Task<long> RestoreFilesAsync(BackupManifest manifest, string restoring, UnixOwner? owner, CancellationToken cancellationToken)
    {
        if (manifest.Directories.Select(d => d.Path).Concat(manifest.Files.Select(f => f.Path))
            .Select(path => ContainedPath.TextProblem(path) is { } problem ? $"the manifest entry '{path}' {problem}" : null)
            .FirstOrDefault(problem => problem is not null) is { } corrupt)
        {
            throw new BackupIntegrityException($"{corrupt}: the set is corrupt, refused before anything was written");
        }

        CheckHoldingSets(manifest);
        FileSystem.CreateDirectory(restoring, DirectoryMode);
        var directories = new List<string> { restoring };
        foreach (var directory in manifest.Directories.OrderBy(d => d.Path, StringComparer.Ordinal))
        {
            var path = ContainedPath.Resolve(restoring, directory.Path);
            FileSystem.CreateDirectory(path, (UnixFileMode)directory.Mode);
            directories.Add(path);
        }

        long bytes = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _repository.FileParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(manifest.Files.OrderByDescending(file => file.Size), parallel, (file, token) =>
        {
            RestoreFile(manifest.SetId, restoring, file, owner, token);
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

    /// <summary>Refuses an incremental set whose holding sets are not all in the repository, naming a file and the missing set.</summary>
    private void CheckHoldingSets(BackupManifest manifest)
    {
        foreach (var holder in manifest.HoldingSets)
        {
            if (!BackupSetId.IsValid(holder) || !_repository.Objects.SetExists(BackupRepository.SetFolder(SetKind.Base, holder)))
            {
                var file = manifest.Files.First(f => f.StoredIn == holder);
                throw new BackupIntegrityException($"{file.Path} is held by set {holder}, which is not in {_repository.Root} ({manifest.Files.Count(f => f.StoredIn == holder)} file(s) of this incremental set are stored there): the chain is broken, refused before anything was written");
            }
        }
    }

    private void RestoreFile(string setId, string restoring, ManifestFile file, UnixOwner? owner, CancellationToken cancellationToken)
    {
        var dataFolder = BackupRepository.DataFolderOf(SetKind.Base, file.HeldBy(setId));
        var destination = ContainedPath.Resolve(restoring, file.Path);
        var options = FileSystem.NewFile(file.Size, (UnixFileMode)file.Mode);
        var storedName = BackupRepository.StoredName(file.Path, file.Compression, file.Encrypted);
        Stream stored;
        try
        {
            stored = _repository.Objects.OpenRead(dataFolder, storedName);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BackupIntegrityException($"{file.Path}: the stored file {_repository.Root}/{dataFolder}/{storedName} is missing{(file.StoredIn is null ? "" : $" (held by set {file.StoredIn})")}", ex);
        }

        using (var output = new FileStream(destination, options))
        {
            var (size, sha256) = StoredFile.Read(stored, file.Compression, file.Encrypted, _repository.Options.Key, output, cancellationToken);
            if (size != file.Size || sha256 != file.Sha256)
            {
                throw new BackupIntegrityException($"{file.Path}{(file.StoredIn is null ? "" : $" (held by set {file.StoredIn})")} fails its checksum ({size} bytes, sha256 {sha256}; the manifest says {file.Size} bytes, sha256 {file.Sha256})");
            }

            output.Flush(flushToDisk: true);
        }

        File.SetLastWriteTimeUtc(destination, file.Modified.UtcDateTime);
        if (owner is { } user)
        {
            FileSystem.Chown(destination, user);
        }
    }
}
