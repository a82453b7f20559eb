using System.Globalization;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

public sealed partial class DumpRestore
{
    /// <summary>
    /// Restores tables of a dump into a new schema of the live database: each table (columns and rows) is restored into a
    /// scratch database, moved there into the new schema, and that schema is then restored into the live database in one
    /// transaction, so the live tables are never touched and the operator can compare and copy rows back.
    /// </summary>
    public async Task<DumpRestoreResult> RestoreTablesAsync(TableRestoreRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _timeProvider.GetTimestamp();
        DumpRestoreResult Fail(string message, string? setId = null) => new(false, message) { SetId = setId, Duration = _timeProvider.GetElapsedTime(started) };
        var wanted = request.Tables.Select(t => t.Split('.')).ToList();
        if (wanted.Count == 0 || wanted.Exists(parts => parts.Length > 2 || !parts.All(PostgresNames.IsIdentifier)))
        {
            return Fail("name each table as NAME or SCHEMA.NAME (letters, digits, '_', '$')");
        }

        var (set, file, error) = await ChooseAsync(request.SetId, request.Database, cancellationToken);
        if (set is null)
        {
            return Fail(error!);
        }

        var schema = request.Schema ?? "rewind_restore_" + set.SetId.ToLowerInvariant();
        var cluster = new ClusterConnection(request.Url);
        if (await CheckTargetAsync(cluster, request.Database, schema, cancellationToken) is { } targetError)
        {
            return Fail(targetError, set.SetId);
        }

        var work = Path.Combine(_repository.WorkDirectory, $"restore-{Guid.NewGuid():N}");
        using var inUse = WorkLock.Acquire(work);
        var scratch = $"rewind_scratch_{Guid.NewGuid():N}";
        var scratchCreated = false;
        try
        {
            DumpStaging.Create(work, _tools);
            var source = Path.Combine(work, "source" + DumpManifest.Extension);
            var (tables, findError) = DumpStaging.Extract(_repository, set.SetId, file!, source, _tools, cancellationToken) is { } extractError
                ? ([], extractError)
                : await FindTablesAsync(cluster, source, wanted, set.SetId, cancellationToken);
            var failure = findError ?? await CreateDatabaseAsync(cluster, scratch, cancellationToken);
            scratchCreated = failure is null;
            failure ??= await CopyThroughScratchAsync(cluster, scratch, source, tables, schema, request.Database, cancellationToken);
            if (failure is not null)
            {
                return Fail(failure, set.SetId);
            }

            var restored = await CountRowsAsync(cluster, request.Database, tables, schema, cancellationToken);

            return new DumpRestoreResult(true, $"restored {string.Join(", ", restored.Select(t => $"{t.Source} as {t.Target} ({t.Rows} rows)"))} from dump {set.SetId} into {request.Database}")
            {
                SetId = set.SetId,
                Tables = restored,
                Duration = _timeProvider.GetElapsedTime(started),
            };
        }
        finally
        {
            if (scratchCreated)
            {
                await DropDatabaseAsync(cluster, scratch);
            }

            FileSystem.DeleteDirectory(work);
        }
    }

    private static async Task<List<RestoredTable>> CountRowsAsync(ClusterConnection cluster, string database, IReadOnlyList<(string Schema, string Name)> tables, string schema, CancellationToken cancellationToken)
    {
        var restored = new List<RestoredTable>();
        foreach (var (tableSchema, table) in tables)
        {
            var rows = await cluster.ScalarAsync(database, $"SELECT count(*) FROM {ClusterConnection.Quote(schema)}.{ClusterConnection.Quote(table)}", cancellationToken: cancellationToken);
            restored.Add(new RestoredTable($"{tableSchema}.{table}", $"{schema}.{table}", Convert.ToInt64(rows, CultureInfo.InvariantCulture)));
        }

        return restored;
    }

    /// <summary>The live database must exist and the new schema must not.</summary>
    private static async Task<string?> CheckTargetAsync(ClusterConnection cluster, string database, string schema, CancellationToken cancellationToken)
    {
        if (!PostgresNames.IsIdentifier(schema))
        {
            return $"'{schema}' is not a schema name (letters, digits, '_', '$')";
        }

        if (!await cluster.DatabaseExistsAsync(database, cancellationToken))
        {
            return $"database {database} does not exist; restore the whole dump into a new database instead";
        }

        return await cluster.ScalarAsync(database, "SELECT 1 FROM pg_namespace WHERE nspname = $1", schema, cancellationToken) is null
            ? null
            : $"schema {schema} exists in {database}: tables are restored only into a new schema; name another one or drop it";
    }

    /// <summary>Each wanted table as (schema, name) from the dump's table of contents, or why one is not there or is ambiguous.</summary>
    private async Task<(IReadOnlyList<(string Schema, string Name)> Tables, string? Error)> FindTablesAsync(ClusterConnection cluster, string source, List<string[]> wanted, string setId, CancellationToken cancellationToken)
    {
        var list = Path.Combine(Path.GetDirectoryName(source)!, "toc.list");
        if (await RunAsync("pg_restore", cluster, ["-l", "-f", list, source], cancellationToken) is { } error)
        {
            return ([], error);
        }

        var toc = DumpToc.Tables(await File.ReadAllLinesAsync(list, cancellationToken));
        var found = new List<(string Schema, string Name)>();
        foreach (var parts in wanted)
        {
            var matches = toc.Where(t => t.Name == parts[^1] && (parts.Length == 1 || t.Schema == parts[0])).ToList();
            if (matches.Count != 1)
            {
                return ([], matches.Count == 0
                    ? $"table {string.Join('.', parts)} is not in dump {setId}"
                    : $"table {parts[0]} is in several schemas of dump {setId} ({string.Join(", ", matches.Select(m => m.Schema))}): name it as SCHEMA.{parts[0]}");
            }

            found.Add(matches[0]);
        }

        return found.DistinctBy(t => t.Name, StringComparer.Ordinal).Count() == found.Count ? (found, null) : ([], "two tables of the same name would land in one schema: restore them one at a time");
    }

    /// <summary>
    /// In the scratch database: restore each table, move them into <paramref name="schema"/>, dump that schema; then
    /// restore it into the live database in one transaction, owned by the connecting role.
    /// </summary>
    private async Task<string?> CopyThroughScratchAsync(ClusterConnection cluster, string scratch, string source, IReadOnlyList<(string Schema, string Name)> tables, string schema, string live, CancellationToken cancellationToken)
    {
        foreach (var (tableSchema, table) in tables)
        {
            await cluster.ScalarAsync(scratch, $"CREATE SCHEMA IF NOT EXISTS {ClusterConnection.Quote(tableSchema)}", cancellationToken: cancellationToken);
            if (await RunAsync("pg_restore", cluster, ["-d", cluster.LibpqUrl(scratch), "--no-owner", "--no-privileges", "--exit-on-error", "-n", tableSchema, "-t", table, source], cancellationToken) is { } error)
            {
                return error;
            }
        }

        await cluster.ScalarAsync(scratch, $"CREATE SCHEMA {ClusterConnection.Quote(schema)}", cancellationToken: cancellationToken);
        foreach (var (tableSchema, table) in tables)
        {
            await cluster.ScalarAsync(scratch, $"ALTER TABLE {ClusterConnection.Quote(tableSchema)}.{ClusterConnection.Quote(table)} SET SCHEMA {ClusterConnection.Quote(schema)}", cancellationToken: cancellationToken);
        }

        var moved = Path.Combine(Path.GetDirectoryName(source)!, "moved" + DumpManifest.Extension);
        return await RunAsync("pg_dump", cluster, ["-d", cluster.LibpqUrl(scratch), "-Fc", "-Z", "0", "--no-sync", "-n", schema, "-f", moved], cancellationToken)
            ?? await RunAsync("pg_restore", cluster, ["-d", cluster.LibpqUrl(live), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", moved], cancellationToken);
    }
}
