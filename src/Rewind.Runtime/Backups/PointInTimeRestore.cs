using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Rewind.Core.Backups;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Restores a base backup plus archived WAL to a point in time, into a new directory beside the live data directory;
/// starts it on a free loopback port, waits until recovery has finished and the server was promoted, runs the
/// verification queries, stops it, and only then swaps it into place. A restore cancelled or killed at any instant
/// leaves the live data directory as it was; the next restore of the same directory cleans up what was left.
/// </summary>
public sealed partial class PointInTimeRestore
{
    private readonly BackupRepository _repository;
    private readonly PostgresToolOptions _tools;
    private readonly ProcessRunner _runner;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public PointInTimeRestore(BackupRepository repository, PostgresToolOptions tools, ProcessRunner? runner = null, TimeProvider? timeProvider = null, ILogger<PointInTimeRestore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(tools);
        _repository = repository;
        _tools = tools;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _runner = runner ?? new ProcessRunner(_timeProvider);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Creates a named restore point on a running server (<c>pg_create_restore_point</c>) and returns its WAL position.</summary>
    public static async Task<Lsn> CreateRestorePointAsync(string connectionString, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("select pg_create_restore_point(@name)::text", connection);
        command.Parameters.AddWithValue("name", name);
        return Lsn.Parse((string)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    /// <summary>Finishes a swap that a killed restore left between its two renames; returns what it did, or <see langword="null"/> when none was pending.</summary>
    public static string? CompleteSwap(string dataDirectory) => DataDirectorySwap.Complete(Normalize(dataDirectory));

    public async Task<RestoreResult> RestoreAsync(RestoreRequest request, IProgress<RestorePhase>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _timeProvider.GetTimestamp();
        var dataDirectory = Normalize(request.DataDirectory);
        RestoreResult Fail(RestorePhase phase, string message) => new(false, phase, message) { Duration = _timeProvider.GetElapsedTime(started) };

        progress?.Report(RestorePhase.Preparing);
        if (!RecoverySettings.TryCreate(request.FetchCommand, request.Target, out var settings, out var settingsError))
        {
            return Fail(RestorePhase.Preparing, settingsError!);
        }

        using var restoreLock = TryLock(dataDirectory);
        if (restoreLock is null)
        {
            return Fail(RestorePhase.Preparing, $"another restore of {dataDirectory} is running");
        }

        if (DataDirectorySwap.Complete(dataDirectory) is { } finished)
        {
            LogSwapFinished(_logger, finished);
        }

        await RemoveLeftoversAsync(dataDirectory);
        var (manifest, chooseError) = await ChooseSetAsync(request, cancellationToken);
        if (manifest is null)
        {
            return Fail(RestorePhase.Preparing, chooseError!);
        }

        LogRestoreStarted(_logger, manifest.SetId, dataDirectory, request.Target);
        var restoring = $"{dataDirectory}.restoring-{BackupSetId.Create(_timeProvider.GetUtcNow())}";
        var result = await RestoreIntoAsync(manifest, restoring, settings!, request, progress, cancellationToken);
        if (!result.Succeeded)
        {
            LogRestoreFailed(_logger, manifest.SetId, result.Phase, result.Message);
            TryDelete(restoring);
            return result with { Duration = _timeProvider.GetElapsedTime(started) };
        }

        if (!request.SwapIntoPlace)
        {
            return result with { Duration = _timeProvider.GetElapsedTime(started) };
        }

        progress?.Report(RestorePhase.Swapping);
        var swapped = Swap(result, dataDirectory, restoring, request.Target);
        progress?.Report(swapped.Phase);
        return swapped with { Duration = _timeProvider.GetElapsedTime(started) };
    }

    private RestoreResult Swap(RestoreResult result, string dataDirectory, string restoring, RestoreTarget target)
    {
        if (DataDirectorySwap.RunningPostmaster(dataDirectory) is { } pid)
        {
            return result with
            {
                Succeeded = false,
                Phase = RestorePhase.Swapping,
                Message = $"restored and verified in {restoring}, but the live cluster is still running (pid {pid}); stop it, then move {restoring} into place or run the restore again",
            };
        }

        var replaced = DataDirectorySwap.Swap(dataDirectory, restoring, _timeProvider.GetUtcNow());
        return result with
        {
            Message = $"restored set {result.SetId} to {target.Describe()} into {dataDirectory}" + (replaced is null ? "" : $"; the previous data directory is {replaced}"),
            RestoredDirectory = dataDirectory,
            ReplacedDirectory = replaced,
        };
    }

    private async Task<(BackupManifest? Manifest, string? Error)> ChooseSetAsync(RestoreRequest request, CancellationToken cancellationToken)
    {
        var manifest = request.SetId is { } setId
            ? await _repository.ReadSetAsync(setId, cancellationToken)
            : BackupSelection.Choose(await _repository.ListSetsAsync(cancellationToken), request.Target);
        if (manifest is null)
        {
            return (null, request.SetId is null
                ? $"no backup set in {_repository.Root} can reach {request.Target.Describe()}"
                : $"backup set {request.SetId} is not in {_repository.Root} (or its manifest is unreadable)");
        }

        if (manifest.KeyId is { } keyId && _repository.Options.Key?.Id != keyId)
        {
            return (null, _repository.Options.Key is { } key
                ? $"set {manifest.SetId} was encrypted with key {keyId}, but the given key is {key.Id}: wrong key"
                : $"set {manifest.SetId} is encrypted (key {keyId}) and no key was given");
        }

        return (manifest, null);
    }

    private static string Normalize(string dataDirectory) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));

    private static FileStream? TryLock(string dataDirectory)
    {
        try
        {
            return new FileStream(dataDirectory + ".rewind-lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next restore of this data directory, which removes leftovers before it starts.
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Restoring backup set {SetId} for {DataDirectory} to {Target}")]
    private static partial void LogRestoreStarted(ILogger logger, string setId, string dataDirectory, RestoreTarget target);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Restore of backup set {SetId} failed while {Phase}: {Reason}")]
    private static partial void LogRestoreFailed(ILogger logger, string setId, RestorePhase phase, string reason);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Finished an interrupted data directory swap: {What}")]
    private static partial void LogSwapFinished(ILogger logger, string what);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Removed a restore left behind by an interrupted run: {Directory}")]
    private static partial void LogLeftoverRemoved(ILogger logger, string directory);
}
