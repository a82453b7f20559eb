using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rewind.Core.Backups;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Takes a logical dump set: <c>pg_dump -Fc</c> of each database into a staging directory, each file then stored
/// (hashed, compressed, encrypted) into a new set, published as <c>dumps/&lt;id&gt;</c> once its manifest is written. <c>pg_dump</c>'s own compression is off (<c>-Z 0</c>): the repository compresses, once, and
/// records it. A failed or killed dump leaves no set.
/// </summary>
public sealed partial class LogicalDump
{
    private readonly BackupRepository _repository;
    private readonly PostgresToolOptions _tools;
    private readonly ProcessRunner _runner;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public LogicalDump(BackupRepository repository, PostgresToolOptions tools, ProcessRunner? runner = null, TimeProvider? timeProvider = null, ILogger<LogicalDump>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(tools);
        _repository = repository;
        _tools = tools;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _runner = runner ?? new ProcessRunner(_timeProvider);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public async Task<LogicalDumpResult> RunAsync(LogicalDumpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _timeProvider.GetTimestamp();
        var startedAt = _timeProvider.GetUtcNow();
        LogicalDumpResult Fail(string message) => new(false, message, null) { Duration = _timeProvider.GetElapsedTime(started) };
        if (request.Databases.Count == 0 || request.Databases.Any(d => !PostgresNames.IsDatabase(d)) || request.Databases.Distinct(StringComparer.Ordinal).Count() != request.Databases.Count)
        {
            return Fail("name at least one database, each once (letters, digits, '_', '-', '.')");
        }

        var setId = BackupSetId.Create(startedAt);
        var work = Path.Combine(_repository.WorkDirectory, $"dump-{setId}-{Guid.NewGuid():N}");
        var (staging, set) = (Path.Combine(work, "staging"), Path.Combine(work, "set"));
        using var inUse = WorkLock.Acquire(work);
        try
        {
            DumpStaging.Create(staging, _tools);
            using var writer = _repository.Objects.BeginSet(BackupRepository.SetFolder(SetKind.Dump, setId), set);
            var version = await _runner.RunAsync(new ProcessRequest(_tools.Command("pg_dump", "--version"), null, TimeSpan.FromSeconds(30)), cancellationToken);
            if (!version.Succeeded)
            {
                return Fail($"pg_dump --version {version.Describe()}: {version.Output.Trim()}");
            }

            var cluster = new ClusterConnection(request.Url);
            var files = new List<ManifestFile>();
            foreach (var database in request.Databases.Order(StringComparer.Ordinal))
            {
                var (file, error) = await DumpOneAsync(cluster, database, staging, writer, cancellationToken);
                if (file is null)
                {
                    return Fail(error!);
                }

                files.Add(file);
            }

            var manifest = new DumpManifest(setId, startedAt, _timeProvider.GetUtcNow(), version.Output.Trim(), _repository.Options.Key?.Id, files);
            Directory.Delete(staging, recursive: true);
            writer.Publish(BackupJson.Serialize(manifest));
            LogDumped(_logger, setId, files.Count, manifest.TotalSize, manifest.TotalStoredSize);
            return new LogicalDumpResult(true, $"dump {setId}: {string.Join(", ", manifest.Databases)}, {Sizes.Format(manifest.TotalSize)} ({Sizes.Format(manifest.TotalStoredSize)} stored)", manifest)
            {
                Duration = _timeProvider.GetElapsedTime(started),
            };
        }
        catch (IOException ex)
        {
            return Fail(ex is BackupIntegrityException ? ex.Message : $"cannot store the dump: {ex.Message}");
        }
        finally
        {
            FileSystem.DeleteDirectory(work);
        }
    }

    /// <summary><c>pg_dump</c> of one database into the staging directory, then stored into the set; the staged copy is removed at once.</summary>
    private async Task<(ManifestFile? File, string? Error)> DumpOneAsync(ClusterConnection cluster, string database, string staging, SetWriter set, CancellationToken cancellationToken)
    {
        var name = database + DumpManifest.Extension;
        var staged = Path.Combine(staging, name);
        var dump = await _runner.RunAsync(
            new ProcessRequest(_tools.Command("pg_dump", "-d", cluster.LibpqUrl(database), "-Fc", "-Z", "0", "--no-sync", "-f", staged), null, _tools.DumpTimeout) { Environment = cluster.Environment },
            cancellationToken);
        if (!dump.Succeeded)
        {
            return (null, $"pg_dump of {database} {dump.Describe()}: {dump.Output.Trim()}");
        }

        var settings = _repository.Storage;
        var info = new FileInfo(staged);
        StoredFacts facts;
        using (var input = new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        using (var output = set.Create(BackupRepository.StoredName(name, settings.Compression, settings.Key is not null)))
        {
            facts = StoredFile.Write(input, output, settings, cancellationToken);
        }

        File.Delete(staged);
        return (new ManifestFile(name, facts.Size, facts.Sha256, facts.StoredSize, settings.Compression, settings.Key is not null, (int)info.UnixFileMode, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero)), null);
    }

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "Dump set {SetId}: {Databases} database(s), {Bytes} bytes ({StoredBytes} stored)")]
    private static partial void LogDumped(ILogger logger, string setId, int databases, long bytes, long storedBytes);
}
