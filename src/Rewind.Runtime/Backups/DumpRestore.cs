using Npgsql;
using Rewind.Core.Backups;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Restores from logical dump sets with <c>pg_restore</c> (argv, never a shell), never over live data: tables into a
/// new schema of the live database (<see cref="RestoreTablesAsync"/>), or a whole database into a new database
/// (<see cref="RestoreDatabaseAsync"/>). The dump file is first read back from the repository and checked against its
/// checksum. A restore that fails removes what it created; nothing that existed before is changed.
/// </summary>
public sealed partial class DumpRestore
{
    private readonly BackupRepository _repository;
    private readonly PostgresToolOptions _tools;
    private readonly ProcessRunner _runner;
    private readonly TimeProvider _timeProvider;

    public DumpRestore(BackupRepository repository, PostgresToolOptions tools, ProcessRunner? runner = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(tools);
        _repository = repository;
        _tools = tools;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _runner = runner ?? new ProcessRunner(_timeProvider);
    }

    /// <summary>Restores the whole dump of <see cref="DatabaseRestoreRequest.Database"/> into the new database <see cref="DatabaseRestoreRequest.Into"/>, in one transaction.</summary>
    public async Task<DumpRestoreResult> RestoreDatabaseAsync(DatabaseRestoreRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _timeProvider.GetTimestamp();
        DumpRestoreResult Fail(string message, string? setId = null) => new(false, message) { SetId = setId, Duration = _timeProvider.GetElapsedTime(started) };
        if (!PostgresNames.IsDatabase(request.Into))
        {
            return Fail($"'{request.Into}' is not a database name (letters, digits, '_', '-', '.')");
        }

        var (set, file, error) = await ChooseAsync(request.SetId, request.Database, cancellationToken);
        if (set is null)
        {
            return Fail(error!);
        }

        var cluster = new ClusterConnection(request.Url);
        if (await cluster.DatabaseExistsAsync(request.Into, cancellationToken))
        {
            return Fail($"database {request.Into} exists: a dump is restored only into a new database; choose another name", set.SetId);
        }

        var work = Path.Combine(_repository.WorkDirectory, $"restore-{Guid.NewGuid():N}");
        using var inUse = WorkLock.Acquire(work);
        var dropOnExit = false;
        try
        {
            DumpStaging.Create(work, _tools);
            var source = Path.Combine(work, "source" + DumpManifest.Extension);
            if (DumpStaging.Extract(_repository, set.SetId, file!, source, _tools, cancellationToken) is { } extractError)
            {
                return Fail(extractError, set.SetId);
            }

            if (await CreateDatabaseAsync(cluster, request.Into, cancellationToken) is { } createError)
            {
                return Fail(createError, set.SetId);
            }

            dropOnExit = true;
            if (await RunAsync("pg_restore", cluster, ["-d", cluster.LibpqUrl(request.Into), "--exit-on-error", "--single-transaction", source], cancellationToken) is { } restoreError)
            {
                return Fail($"{restoreError}; the new database {request.Into} was removed", set.SetId);
            }

            dropOnExit = false;
            var tables = await cluster.ScalarAsync(request.Into, "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", cancellationToken: cancellationToken);
            return new DumpRestoreResult(true, $"restored {request.Database} from dump {set.SetId} into the new database {request.Into}: {tables} table(s)") { SetId = set.SetId, Duration = _timeProvider.GetElapsedTime(started) };
        }
        finally
        {
            if (dropOnExit)
            {
                await DropDatabaseAsync(cluster, request.Into);
            }

            FileSystem.DeleteDirectory(work);
        }
    }

    /// <summary>The set to restore from and its file for <paramref name="database"/>, or why there is none.</summary>
    private async Task<(DumpManifest? Set, ManifestFile? File, string? Error)> ChooseAsync(string? setId, string database, CancellationToken cancellationToken)
    {
        IReadOnlyList<DumpManifest> sets = setId is { } id
            ? await _repository.ReadDumpAsync(id, cancellationToken) is { } one ? [one] : []
            : await _repository.ListDumpsAsync(cancellationToken);
        if (sets.LastOrDefault(s => s.FileOf(database) is not null) is not { } set)
        {
            return (null, null, setId is null ? $"no dump of {database} in {_repository.Root}" : $"dump {setId} does not exist or does not hold {database}");
        }

        return DumpStaging.KeyProblem(_repository, $"dump {set.SetId}", set.KeyId) is { } keyProblem ? (null, null, keyProblem) : (set, set.FileOf(database), null);
    }

    /// <summary>Runs one of PostgreSQL's programs with the cluster's password in its environment; the error says what it printed.</summary>
    private async Task<string?> RunAsync(string program, ClusterConnection cluster, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync(new ProcessRequest(_tools.Command(program, arguments), null, _tools.DumpTimeout) { Environment = cluster.Environment }, cancellationToken);
        return result.Succeeded ? null : $"{program} {result.Describe()}: {result.Output.Trim()}";
    }

    private static async Task<string?> CreateDatabaseAsync(ClusterConnection cluster, string name, CancellationToken cancellationToken)
    {
        try
        {
            await cluster.ScalarAsync(cluster.DefaultDatabase, $"CREATE DATABASE {ClusterConnection.Quote(name)} TEMPLATE template0", cancellationToken: cancellationToken);
            return null;
        }
        catch (PostgresException ex)
        {
            return $"cannot create database {name}: {ex.MessageText}";
        }
    }

    /// <summary>Removes a database this restore created; never cancelled, so a cancelled restore leaves nothing behind.</summary>
    private static async Task DropDatabaseAsync(ClusterConnection cluster, string name) =>
        await cluster.ScalarAsync(cluster.DefaultDatabase, $"DROP DATABASE IF EXISTS {ClusterConnection.Quote(name)} WITH (FORCE)", cancellationToken: CancellationToken.None);
}
