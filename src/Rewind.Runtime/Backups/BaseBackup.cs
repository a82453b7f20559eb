using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rewind.Core.Backups;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Takes a base backup with <c>pg_basebackup</c> (plain format, no WAL: the archive provides it, fast checkpoint) into a
/// staging directory, stores every file into a new set (hashed, compressed, encrypted, in parallel), and publishes the set
/// once its manifest is written (renaming its directory under <c>sets/</c>, or writing the manifest object last), so a
/// killed backup never leaves a set that looks complete. An incremental (<see cref="BaseBackupRequest.Incremental"/>)
/// copies the whole cluster the same way but stores only the files changed since its parent set and references the rest.
/// </summary>
public sealed partial class BaseBackup
{
    private readonly BackupRepository _repository;
    private readonly PostgresToolOptions _tools;
    private readonly ProcessRunner _runner;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public BaseBackup(BackupRepository repository, PostgresToolOptions tools, ProcessRunner? runner = null, TimeProvider? timeProvider = null, ILogger<BaseBackup>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(tools);
        _repository = repository;
        _tools = tools;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _runner = runner ?? new ProcessRunner(_timeProvider);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public async Task<BaseBackupResult> RunAsync(BaseBackupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _timeProvider.GetTimestamp();
        var startedAt = _timeProvider.GetUtcNow();
        var setId = BackupSetId.Create(startedAt);
        var work = Path.Combine(_repository.WorkDirectory, setId);
        var staging = Path.Combine(work, "staging");
        var set = Path.Combine(work, "set");
        BaseBackupResult Fail(string message) => new(false, message, null) { Duration = _timeProvider.GetElapsedTime(started) };
        using var inUse = WorkLock.Acquire(work);
        try
        {
            var (copy, copyError) = await CopyAsync(request, staging, cancellationToken);
            if (copy is null)
            {
                return Fail(copyError!);
            }

            var copyDuration = _timeProvider.GetElapsedTime(started);
            var storeStarted = _timeProvider.GetTimestamp();
            var version = (await File.ReadAllTextAsync(Path.Combine(staging, "PG_VERSION"), cancellationToken)).Trim();
            var (parent, whyFull) = request.Incremental ? await ChooseParentAsync(setId, request, copy.Label.Timeline, version, cancellationToken) : (null, null);
            using var writer = _repository.Objects.BeginSet(BackupRepository.SetFolder(SetKind.Base, setId), set);
            var (directories, files) = await StoreFilesAsync(staging, writer, parent, cancellationToken);
            var manifest = NewManifest(setId, startedAt, copy, version, directories, files) with
            {
                Type = parent is null ? BackupType.Full : BackupType.Incremental,
                Parent = parent?.SetId,
                Format = parent is null ? 1 : 2,
            };
            writer.Publish(BackupJson.Serialize(manifest));
            var storeDuration = _timeProvider.GetElapsedTime(storeStarted);
            var (storedFiles, storedBytes) = (files.Count(f => f.StoredIn is null), manifest.TotalSize - manifest.ReferencedSize);
            LogStored(_logger, setId, storedFiles, storedBytes, manifest.TotalStoredSize, storeDuration.TotalSeconds);
            if (parent is not null)
            {
                LogIncremental(_logger, setId, parent.SetId, storedFiles, storedBytes, files.Count - storedFiles, manifest.ReferencedSize);
            }

            return new BaseBackupResult(true, Describe(manifest, whyFull), manifest)
            {
                CopyDuration = copyDuration,
                StoreDuration = storeDuration,
                Duration = _timeProvider.GetElapsedTime(started),
                WhyFull = whyFull,
            };
        }
        catch (IOException ex)
        {
            return Fail(ex is BackupIntegrityException ? ex.Message : $"cannot store the backup in {_repository.Root}: {ex.Message}");
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private BackupManifest NewManifest(string setId, DateTimeOffset startedAt, Copied copy, string version, IReadOnlyList<ManifestDirectory> directories, IReadOnlyList<ManifestFile> files)
    {
        var (label, stopLsn, segmentSize, finishedAt) = copy;
        return new BackupManifest(
            setId,
            label.Label,
            startedAt,
            finishedAt,
            label.Timeline,
            label.StartLsn.ToString(),
            stopLsn.ToString(),
            WalSegmentName.FromLsn(label.Timeline, label.StartLsn, segmentSize).ToString(),
            WalSegmentName.FromLsn(label.Timeline, new Lsn(stopLsn.Value - 1), segmentSize).ToString(),
            segmentSize,
            version,
            _repository.Options.Key?.Id,
            directories,
            files);
    }

    /// <summary>Runs <c>pg_basebackup</c> into <paramref name="staging"/> and reads where the backup starts and stops.</summary>
    private async Task<(Copied? Copy, string? Error)> CopyAsync(BaseBackupRequest request, string staging, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(staging);
        if (_tools.Owner() is { } owner)
        {
            FileSystem.Chown(staging, owner);
        }

        var copy = await _runner.RunAsync(
            new ProcessRequest(
                _tools.Command("pg_basebackup", "-d", request.ConnectionString, "-D", staging, "-Fp", "-X", "none", "--checkpoint=fast", "--no-sync", "--manifest-checksums=NONE", "-l", request.Label),
                null,
                _tools.BaseBackupTimeout),
            cancellationToken);
        var finishedAt = _timeProvider.GetUtcNow();
        LogCopied(_logger, staging, copy.Duration.TotalSeconds);
        if (!copy.Succeeded)
        {
            return (null, $"pg_basebackup {copy.Describe()}: {copy.Output.Trim()}");
        }

        if (BackupLabel.TryParse(await File.ReadAllTextAsync(Path.Combine(staging, "backup_label"), cancellationToken)) is not { } label)
        {
            return (null, "pg_basebackup wrote no readable backup_label");
        }

        var stopLsn = await ReadStopLsnAsync(staging, cancellationToken);
        var segmentSize = await ReadSegmentSizeAsync(staging, cancellationToken);
        return stopLsn is null || segmentSize is null
            ? (null, "cannot read the backup's stop position (backup_manifest) or WAL segment size (pg_controldata)")
            : (new Copied(label, stopLsn.Value, segmentSize.Value, finishedAt), null);
    }

    private static async Task<Lsn?> ReadStopLsnAsync(string staging, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(Path.Combine(staging, "backup_manifest"));
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var ranges = document.RootElement.GetProperty("WAL-Ranges");
        return ranges.GetArrayLength() > 0 && Lsn.TryParse(ranges[ranges.GetArrayLength() - 1].GetProperty("End-LSN").GetString(), out var lsn) ? lsn : null;
    }

    private async Task<int?> ReadSegmentSizeAsync(string staging, CancellationToken cancellationToken)
    {
        var control = await _runner.RunAsync(new ProcessRequest(_tools.Command("pg_controldata", "-D", staging), null, TimeSpan.FromSeconds(30)), cancellationToken);
        var line = control.Output.Split('\n').FirstOrDefault(l => l.StartsWith("Bytes per WAL segment:", StringComparison.Ordinal));
        return line is not null && int.TryParse(line.Split(':')[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && WalSegmentName.IsValidSize(size) ? size : null;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "pg_basebackup into {Staging} ended after {Seconds:F1}s")]
    private static partial void LogCopied(ILogger logger, string staging, double seconds);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Backup set {SetId}: stored {Files} files, {Bytes} bytes ({StoredBytes} stored) in {Seconds:F1}s")]
    private static partial void LogStored(ILogger logger, string setId, int files, long bytes, long storedBytes, double seconds);
}

/// <summary>What <c>pg_basebackup</c> left in the staging directory, and when it finished.</summary>
internal sealed record Copied(BackupLabel Label, Lsn StopLsn, int SegmentSize, DateTimeOffset FinishedAt);
