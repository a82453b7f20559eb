namespace Rewind.Bench.Backups;

/// <summary>
/// The generated database of the backup benchmarks: a fresh cluster (initdb defaults, 16 MiB WAL segments) holding a
/// database <c>bench</c> filled by <c>pgbench -i -s SCALE</c> while archiving is off, then restarted with the
/// archiving settings the benchmark gives (empty for none). Its Unix socket is in <c>sock/</c> for pgBackRest.
/// </summary>
internal sealed class SourceDatabase : IAsyncDisposable
{
    public const string Database = "bench";

    private SourceDatabase(string root, int scale)
    {
        Root = root;
        Scale = scale;
    }

    public string Root { get; }

    public int Scale { get; }

    public string DataDirectory => Path.Combine(Root, "source");

    public string SocketDirectory => Path.Combine(Root, "sock");

    public BenchServer Server { get; private set; } = null!;

    public long AccountRows => Scale * 100_000L;

    /// <summary>Initializes, loads and restarts; <paramref name="archiving"/> is added to the second start.</summary>
    public static async Task<SourceDatabase> CreateAsync(string root, int scale, Func<SourceDatabase, IReadOnlyDictionary<string, string>> archiving)
    {
        var source = new SourceDatabase(root, scale);
        await Pg.DirectoryAsync(root, "sock");
        await Pg.RunAsync(Pg.Command("initdb", "-D", source.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"));
        source.Server = BenchServer.Start(source.DataDirectory, source.Settings(new Dictionary<string, string>(StringComparer.Ordinal)));
        await source.Server.WaitUntilPromotedAsync(TimeSpan.FromMinutes(1));
        await source.Server.ExecuteAsync($"create database {Database}");
        await Pg.RunAsync(Pg.Command("pgbench", "-i", "-q", "-s", Pg.F($"{scale}"), source.Server.Libpq(Database)));
        await source.Server.StopAsync();
        await source.Server.DisposeAsync();
        source.Server = BenchServer.Start(source.DataDirectory, source.Settings(archiving(source)));
        await source.Server.WaitUntilPromotedAsync(TimeSpan.FromMinutes(1));
        return source;
    }

    /// <summary>Bytes of the database <c>bench</c> (<c>pg_database_size</c>).</summary>
    public Task<long> SizeAsync() => Server.ScalarAsync<long>($"select pg_database_size('{Database}')");

    /// <summary>Runs <paramref name="transactions"/> pgbench transactions per client, 2 clients, no vacuum.</summary>
    public Task PgbenchAsync(int transactions) =>
        Pg.RunAsync(Pg.Command("pgbench", "-n", "-c", "2", "-j", "2", "-t", Pg.F($"{transactions}"), Server.Libpq(Database)));

    /// <summary>Ends the current WAL segment; returns its name.</summary>
    public Task<string> SwitchWalAsync() => Server.ScalarAsync<string>("select pg_walfile_name(pg_switch_wal())");

    /// <summary>Waits until the archiver has archived <paramref name="segment"/> (or a later one).</summary>
    public async Task WaitArchivedAsync(string segment)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var last = await Server.ScalarAsync<string?>("select coalesce(last_archived_wal, '') from pg_stat_archiver");
            if (string.CompareOrdinal(last, segment) >= 0)
            {
                return;
            }

            await Task.Delay(200);
        }

        var failed = await Server.ScalarAsync<string>("select coalesce(last_failed_wal, 'none') || ' failed ' || failed_count from pg_stat_archiver");
        throw new InvalidOperationException($"segment {segment} was not archived within 5 minutes (last failure: {failed}): {Server.Log()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    private Dictionary<string, string> Settings(IReadOnlyDictionary<string, string> extra)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["unix_socket_directories"] = SocketDirectory,
            ["wal_level"] = "replica",
            ["max_wal_size"] = "4GB",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }
}
