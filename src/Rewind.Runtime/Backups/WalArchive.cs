using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// The WAL half of the repository: <c>archive_command</c> pushes each finished segment (and timeline history, backup
/// history and partial files) here, <c>restore_command</c> fetches them back during recovery. Pushes are idempotent and
/// atomic: the stored file is written first (in a directory renamed into place after an fsync, in object storage one
/// upload), and its <c>.json</c> entry, written the same way after it, is the commit point.
/// </summary>
public sealed class WalArchive
{
    private readonly BackupRepository _repository;
    private readonly TimeProvider _timeProvider;

    public WalArchive(BackupRepository repository, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        _repository = repository;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Archives <paramref name="sourcePath"/> (<c>%p</c>) under <paramref name="fileName"/> (<c>%f</c>).</summary>
    public async Task<WalPushResult> PushAsync(string sourcePath, string fileName, CancellationToken cancellationToken = default)
    {
        if (WalFileName.TryParse(fileName) is not { } name)
        {
            return new WalPushResult(WalPushOutcome.InvalidName, $"'{fileName}' is not a WAL file name");
        }

        try
        {
            if (await _repository.ReadWalEntryAsync(BackupRepository.WalEntryKey(name), cancellationToken) is { } existing)
            {
                return await Task.Run(() => CompareWithArchived(sourcePath, existing), cancellationToken);
            }

            return await StoreAsync(sourcePath, name, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new WalPushResult(WalPushOutcome.Failed, $"cannot archive {fileName}: {ex.Message}");
        }
    }

    /// <summary>Restores the archived <paramref name="fileName"/> (<c>%f</c>) to <paramref name="destinationPath"/> (<c>%p</c>), checked against its checksum.</summary>
    public async Task<WalFetchResult> FetchAsync(string fileName, string destinationPath, CancellationToken cancellationToken = default)
    {
        if (WalFileName.TryParse(fileName) is not { } name)
        {
            return new WalFetchResult(WalFetchOutcome.InvalidName, $"'{fileName}' is not a WAL file name");
        }

        WalEntry? entry;
        try
        {
            entry = await _repository.ReadWalEntryAsync(BackupRepository.WalEntryKey(name), cancellationToken);
        }
        catch (IOException ex)
        {
            return new WalFetchResult(WalFetchOutcome.Failed, $"cannot fetch {fileName}: {ex.Message}");
        }

        if (entry is null)
        {
            return new WalFetchResult(WalFetchOutcome.NotFound, $"{fileName} is not in the archive");
        }

        var temporary = FileSystem.TemporaryBeside(destinationPath);
        try
        {
            (long Size, string Sha256) plain;
            using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, StoredFile.BufferSize))
            {
                plain = await Task.Run(
                    () => StoredFile.Read(_repository.Objects.OpenRead(BackupRepository.WalFolder(name.Timeline), BackupRepository.WalStoredName(entry)), entry.Compression, entry.Encrypted, _repository.Options.Key, output, cancellationToken),
                    cancellationToken);
            }

            if (plain.Size != entry.Size || plain.Sha256 != entry.Sha256)
            {
                return new WalFetchResult(WalFetchOutcome.Corrupt, $"{fileName} fails its checksum ({plain.Size} bytes, sha256 {plain.Sha256}; archived {entry.Size} bytes, sha256 {entry.Sha256})");
            }

            File.Move(temporary, destinationPath, overwrite: true);
            return new WalFetchResult(WalFetchOutcome.Fetched, $"fetched {fileName} ({entry.Size} bytes)");
        }
        catch (BackupIntegrityException ex)
        {
            return new WalFetchResult(ex.WrongKey ? WalFetchOutcome.WrongKey : WalFetchOutcome.Corrupt, $"{fileName}: {ex.Message}");
        }
        catch (FileNotFoundException)
        {
            return new WalFetchResult(WalFetchOutcome.Corrupt, $"{fileName} has an archive entry but its stored file is missing");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new WalFetchResult(WalFetchOutcome.Failed, $"cannot fetch {fileName}: {ex.Message}");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static WalPushResult CompareWithArchived(string sourcePath, WalEntry existing)
    {
        using var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, StoredFile.BufferSize, FileOptions.SequentialScan);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(source));
        return sha256 == existing.Sha256 && source.Length == existing.Size
            ? new WalPushResult(WalPushOutcome.AlreadyArchived, $"{existing.Name} is already archived with identical content")
            : new WalPushResult(WalPushOutcome.Conflict, $"{existing.Name} is already archived with different content (archived sha256 {existing.Sha256}, {existing.Size} bytes; new sha256 {sha256}, {source.Length} bytes): refusing to overwrite; is a second cluster archiving into this repository?");
    }

    private async Task<WalPushResult> StoreAsync(string sourcePath, WalFileName name, CancellationToken cancellationToken)
    {
        var settings = _repository.Storage;
        var stored = $"{BackupRepository.WalFolder(name.Timeline)}/{BackupRepository.StoredName(name.Name, settings.Compression, settings.Key is not null)}";
        var facts = await Task.Run(
            () =>
            {
                using var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                using var output = _repository.Objects.Create(stored);
                return StoredFile.Write(source, output, settings, cancellationToken);
            },
            cancellationToken);
        var entry = new WalEntry(name.Name, facts.Size, facts.Sha256, facts.StoredSize, settings.Compression, settings.Key is not null, settings.Key?.Id, _timeProvider.GetUtcNow());
        await _repository.Objects.WriteAllAsync(BackupRepository.WalEntryKey(name), BackupJson.Serialize(entry), cancellationToken);
        return new WalPushResult(WalPushOutcome.Archived, $"archived {name.Name} ({facts.Size} bytes, stored {facts.StoredSize})");
    }
}
