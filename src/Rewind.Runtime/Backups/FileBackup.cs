using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Copies declared directories (uploads, configuration) into a file backup set: every file hashed, compressed and
/// encrypted like a base backup's, directories with their modes, symbolic links as links (never followed), published as
/// <c>files/&lt;id&gt;</c> once the manifest is written.
/// </summary>
public sealed partial class FileBackup
{
    private readonly BackupRepository _repository;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public FileBackup(BackupRepository repository, TimeProvider? timeProvider = null, ILogger<FileBackup>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        _repository = repository;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public async Task<FileBackupResult> RunAsync(FileBackupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _timeProvider.GetTimestamp();
        var startedAt = _timeProvider.GetUtcNow();
        FileBackupResult Fail(string message) => new(false, message, null) { Duration = _timeProvider.GetElapsedTime(started) };
        if (CheckPaths(request.Paths) is { } pathError)
        {
            return Fail(pathError);
        }

        var setId = BackupSetId.Create(startedAt);
        var work = Path.Combine(_repository.WorkDirectory, $"files-{setId}-{Guid.NewGuid():N}");
        using var inUse = WorkLock.Acquire(work);
        try
        {
            var tree = FileTree.Walk(request.Paths);
            using var writer = _repository.Objects.BeginSet(BackupRepository.SetFolder(SetKind.Files, setId), work);
            var (files, vanished) = await SetFiles.StoreAsync(tree.Files, writer, BackupRepository.StoredFilesFolder, _repository.Storage, _repository.FileParallelism, cancellationToken);
            var manifest = new FileSetManifest(setId, startedAt, _timeProvider.GetUtcNow(), _repository.Options.Key?.Id, [.. request.Paths], tree.Directories, files, tree.Links);
            writer.Publish(BackupJson.Serialize(manifest));
            var skipped = tree.Skipped.Concat(vanished.Select(path => path + ": removed while the backup ran")).ToList();
            LogStored(_logger, setId, files.Count, manifest.TotalSize, skipped.Count);
            return new FileBackupResult(true, $"file set {setId}: {files.Count} files, {tree.Directories.Count} directories, {tree.Links.Count} links, {Sizes.Format(manifest.TotalSize)} ({Sizes.Format(manifest.TotalStoredSize)} stored){(skipped.Count == 0 ? "" : $"; {skipped.Count} left out")}", manifest)
            {
                Skipped = skipped,
                Duration = _timeProvider.GetElapsedTime(started),
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail($"cannot copy the files: {ex.Message}");
        }
        finally
        {
            FileSystem.DeleteDirectory(work);
        }
    }

    /// <summary>Every path absolute, present, given once, and apart from the repository (a backup must never copy itself).</summary>
    private string? CheckPaths(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0 || paths.Any(path => !Path.IsPathFullyQualified(path)) || paths.Distinct(StringComparer.Ordinal).Count() != paths.Count)
        {
            return "name at least one absolute path, each once";
        }

        foreach (var path in paths)
        {
            if (!Path.Exists(path) && new FileInfo(path).LinkTarget is null)
            {
                return $"{path} does not exist";
            }

            if (_repository.Objects.LocalRoot is { } root && RepositoryPaths.Overlap(path, root))
            {
                return $"{path} and the repository {_repository.Root} overlap: a backup would copy itself; keep the repository outside every backed-up path";
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 7021, Level = LogLevel.Information, Message = "File set {SetId}: {Files} files, {Bytes} bytes, {Skipped} left out")]
    private static partial void LogStored(ILogger logger, string setId, int files, long bytes, int skipped);
}
