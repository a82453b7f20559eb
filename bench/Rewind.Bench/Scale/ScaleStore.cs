using Microsoft.Data.Sqlite;

namespace Rewind.Bench.Scale;

/// <summary>
/// Reads the controller's SQLite store while it runs, on short read-only connections (WAL: never in the writer's way,
/// no read transaction held open to block a checkpoint).
/// </summary>
internal sealed class ScaleStore(string path)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();

    /// <summary>Probe samples ever stored: the table's AUTOINCREMENT sequence, which pruning old samples does not lower.</summary>
    public Task<long> SamplesStoredAsync() => ScalarAsync("SELECT seq FROM sqlite_sequence WHERE name = 'probe_samples'");

    /// <summary>Failed samples still in the store (the controller keeps the newest few hundred per probe).</summary>
    public Task<long> FailedSamplesAsync() => ScalarAsync("SELECT count(*) FROM probe_samples WHERE success = 0");

    /// <summary>The most frequent reasons of the failed samples still in the store, with their counts.</summary>
    public async Task<IReadOnlyList<string>> FailureReasonsAsync()
    {
        if (!File.Exists(path))
        {
            return [];
        }

        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(error, '(none)'), count(*) FROM probe_samples WHERE success = 0 GROUP BY 1 ORDER BY 2 DESC LIMIT 3";
        await using var reader = await command.ExecuteReaderAsync();
        var reasons = new List<string>();
        while (await reader.ReadAsync())
        {
            reasons.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{reader.GetInt64(1)}x {reader.GetString(0)}"));
        }

        return reasons;
    }

    /// <summary>Components registered in the store (the controller registers each one of its config when it starts).</summary>
    public Task<long> ComponentsAsync() => ScalarAsync("SELECT count(*) FROM components");

    public Task<long> IncidentsAsync() => ScalarAsync("SELECT count(*) FROM incidents");

    /// <summary>The database's size in use (pages × page size, free pages left out), WAL content included: what the store holds, not what the files reserve.</summary>
    public async Task<long> BytesInUseAsync() =>
        (await ScalarAsync("PRAGMA page_count") - await ScalarAsync("PRAGMA freelist_count")) * await ScalarAsync("PRAGMA page_size");

    /// <summary>The database file and its WAL as they lie on disk.</summary>
    public long FileBytes() => new[] { path, path + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    private async Task<long> ScalarAsync(string sql)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new SqliteConnection(_connectionString);
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                return await command.ExecuteScalarAsync() is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            }
            catch (SqliteException ex) when (ex.Message.Contains("no such table", StringComparison.Ordinal))
            {
                return 0; // not migrated yet
            }
            catch (SqliteException) when (attempt < 10)
            {
                await Task.Delay(20); // busy for a moment
            }
        }
    }
}
