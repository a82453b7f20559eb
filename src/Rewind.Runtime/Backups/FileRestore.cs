using Rewind.Core.Backups;
using Rewind.Runtime.Paths;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Restores a file backup set into a new directory, never over the live files: everything is written into a hidden
/// directory beside the destination, each file checked against its size and SHA-256 and fsynced, modes and modification
/// times as recorded, links recreated as links; then it is renamed to the destination. A failed restore leaves the
/// destination as it was. Every path of the manifest stays beneath the destination (<see cref="CheckPaths"/>).
/// </summary>
public sealed partial class FileRestore
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly BackupRepository _repository;
    private readonly TimeProvider _timeProvider;

    public FileRestore(BackupRepository repository, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        _repository = repository;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public async Task<FileRestoreResult> RestoreAsync(FileRestoreRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _timeProvider.GetTimestamp();
        FileRestoreResult Fail(string message, string? setId = null) => new(false, message) { SetId = setId, Duration = _timeProvider.GetElapsedTime(started) };
        var destination = Path.GetFullPath(request.Destination).TrimEnd('/');
        var set = request.SetId is { } id ? await _repository.ReadFileSetAsync(id, cancellationToken) : await _repository.ListFileSetsAsync(cancellationToken) is [.., var newest] ? newest : null;
        if (set is null)
        {
            return Fail(request.SetId is null ? $"no file set in {_repository.Root}" : $"file set {request.SetId} does not exist");
        }

        if ((CheckDestination(destination) ?? DumpStaging.KeyProblem(_repository, $"file set {set.SetId}", set.KeyId) ?? CheckPaths(set)) is { } problem)
        {
            return Fail(problem, set.SetId);
        }

        var staging = Path.Combine(Path.GetDirectoryName(destination)!, $".{Path.GetFileName(destination)}.rewind-restoring-{Guid.NewGuid():N}");
        try
        {
            FileSystem.CreateDirectory(staging, Private);
            if (await WriteAsync(set, staging, cancellationToken) is { } writeError)
            {
                return Fail(writeError, set.SetId);
            }

            if (Directory.Exists(destination))
            {
                Directory.Delete(destination);
            }

            Directory.Move(staging, destination);
            FileSystem.SyncDirectory(Path.GetDirectoryName(destination)!);
            return new FileRestoreResult(true, $"restored file set {set.SetId} into {destination}: {set.Files.Count} files, {set.Directories.Count} directories, {set.Links.Count} links, {Sizes.Format(set.TotalSize)}")
            {
                SetId = set.SetId,
                Duration = _timeProvider.GetElapsedTime(started),
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail($"restoring file set {set.SetId} into {destination} failed: {ex.Message}; {destination} is as it was", set.SetId);
        }
        finally
        {
            FileSystem.DeleteDirectory(staging);
        }
    }

    /// <summary>The destination must not exist or be an empty directory, with an existing parent, outside the repository.</summary>
    private string? CheckDestination(string destination)
    {
        if (_repository.Objects.LocalRoot is { } root && RepositoryPaths.Overlap(destination, root))
        {
            return $"{destination} and the repository {_repository.Root} overlap: restore somewhere else";
        }

        if (File.Exists(destination) || new FileInfo(destination).LinkTarget is not null || (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any()))
        {
            return $"{destination} exists and is not an empty directory: files are restored only into a new or empty directory, never over live files";
        }

        return Directory.Exists(Path.GetDirectoryName(destination)) ? null : $"the parent of {destination} does not exist";
    }

    /// <summary>Directories, then files in parallel (checked, fsynced, mode and time set), then links, then directory modes deepest first.</summary>
    private async Task<string?> WriteAsync(FileSetManifest set, string root, CancellationToken cancellationToken)
    {
        foreach (var directory in set.Directories)
        {
            FileSystem.CreateDirectory(ContainedPath.Resolve(root, directory.Path), Private);
        }

        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _repository.FileParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(set.Files.OrderByDescending(file => file.Size), parallel, (file, token) =>
        {
            if (WriteFile(set.SetId, file, root, token) is { } error)
            {
                errors.Enqueue(error);
            }

            return ValueTask.CompletedTask;
        });

        if (!errors.IsEmpty)
        {
            return errors.Order(StringComparer.Ordinal).First();
        }

        foreach (var link in set.Links)
        {
            var path = ContainedPath.Resolve(root, link.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.CreateSymbolicLink(path, link.Target);
        }

        foreach (var directory in set.Directories.OrderByDescending(d => d.Path.Length))
        {
            var path = ContainedPath.Resolve(root, directory.Path, followsLast: true);
            FileSystem.SetMode(path, (UnixFileMode)directory.Mode);
            FileSystem.SyncDirectory(path);
        }

        return null;
    }

    private string? WriteFile(string setId, ManifestFile file, string root, CancellationToken cancellationToken)
    {
        try
        {
            var path = ContainedPath.Resolve(root, file.Path);
            using var stored = _repository.Objects.OpenRead(BackupRepository.DataFolderOf(SetKind.Files, setId), BackupRepository.StoredName(file.Path, file.Compression, file.Encrypted));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            (long Size, string Sha256) actual;
            using (var output = new FileStream(path, FileSystem.NewFile(file.Size, UnixFileMode.UserRead | UnixFileMode.UserWrite)))
            {
                actual = StoredFile.Read(stored, file.Compression, file.Encrypted, _repository.Options.Key, output, cancellationToken);
                output.Flush(flushToDisk: true);
            }

            if (actual.Size != file.Size || actual.Sha256 != file.Sha256)
            {
                return $"file set {setId}/{file.Path}: checksum mismatch: content is {actual.Size} bytes, sha256 {actual.Sha256}; the manifest says {file.Size} bytes, sha256 {file.Sha256}";
            }

            FileSystem.SetMode(path, (UnixFileMode)file.Mode);
            File.SetLastWriteTimeUtc(path, file.Modified.UtcDateTime);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"file set {setId}/{file.Path}: {(ex is FileNotFoundException ? "the stored file is missing" : ex.Message)}";
        }
    }
}
