using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Rewind.TestUtils;

/// <summary>
/// A throwaway PostgreSQL cluster of the test's own: copied from one initdb template per test run (1 MiB WAL segments,
/// trust auth), started on a free loopback port with fsync off and no Unix socket, stopped and deleted on dispose.
/// As root, PostgreSQL's programs run through <c>runuser -u postgres --</c> and the directories are given to postgres.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    private PostgresCluster(string dataDirectory, int port)
    {
        DataDirectory = dataDirectory;
        Port = port;
    }

    /// <summary>The system user PostgreSQL runs as: <c>postgres</c> when the tests run as root, else <see langword="null"/> (the tests' own user).</summary>
    public static string? RunAsUser { get; } = Environment.UserName == "root" ? "postgres" : null;

    public string DataDirectory { get; }

    public int Port { get; }

    public bool IsRunning { get; private set; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres;Pooling=false;Timeout=10";

    /// <summary>libpq's form, for pg_basebackup.</summary>
    public string LibpqConnectionString => $"host=127.0.0.1 port={Port.ToString(CultureInfo.InvariantCulture)} user=postgres dbname=postgres";

    /// <summary>A new cluster in <paramref name="dataDirectory"/> (which must not exist), started with <paramref name="settings"/> added to postgresql.conf.</summary>
    public static async Task<PostgresCluster> CreateAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        await RunAsync("cp", "-a", await Template.Value, dataDirectory);
        var cluster = new PostgresCluster(dataDirectory, FreePort());
        var lines = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["port"] = cluster.Port.ToString(CultureInfo.InvariantCulture),
            ["listen_addresses"] = "'127.0.0.1'",
            ["unix_socket_directories"] = "''",
            ["fsync"] = "off",
            ["shared_buffers"] = "16MB",
            ["max_connections"] = "20",
            ["wal_level"] = "replica",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>(StringComparer.Ordinal))
        {
            lines[key] = value;
        }

        await File.AppendAllLinesAsync(Path.Combine(dataDirectory, "postgresql.conf"), lines.Select(line => $"{line.Key} = {line.Value}"));
        await cluster.StartAsync();
        return cluster;
    }

    /// <summary>Starts a cluster on an existing data directory (e.g. a restored one) on a new port, with archiving off so it never writes into a shared repository.</summary>
    public static async Task<PostgresCluster> StartExistingAsync(string dataDirectory)
    {
        var cluster = new PostgresCluster(dataDirectory, FreePort());
        await File.AppendAllTextAsync(Path.Combine(dataDirectory, "postgresql.conf"), $"port = {cluster.Port.ToString(CultureInfo.InvariantCulture)}\narchive_mode = off\n");
        await cluster.StartAsync();
        return cluster;
    }

    /// <summary>Quotes a value for postgresql.conf.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public async Task StartAsync()
    {
        await RunAsync(Pg("pg_ctl", "start", "-D", DataDirectory, "-l", DataDirectory + ".log", "-w", "-t", "60"));
        IsRunning = true;
    }

    public async Task StopAsync()
    {
        if (IsRunning)
        {
            IsRunning = false;
            await RunAsync(Pg("pg_ctl", "stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"));
        }
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            IsRunning = false;
            await RunAsync(Pg("pg_ctl", "stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"), check: false);
        }
    }

    /// <summary>A new temp directory PostgreSQL's user may write to.</summary>
    public static async Task<string> CreateDirectoryAsync(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(path);
        await GiveToPostgresAsync(path);
        return path;
    }

    /// <summary>Gives <paramref name="path"/> (recursively) to PostgreSQL's user when the tests run as root.</summary>
    public static async Task GiveToPostgresAsync(string path)
    {
        if (RunAsUser is { } user)
        {
            await RunAsync("chown", "-R", $"{user}:{user}", path);
        }
    }

    /// <summary>Runs one of PostgreSQL's programs as <see cref="RunAsUser"/>.</summary>
    public static string[] Pg(string program, params string[] arguments) =>
        [.. RunAsUser is { } user ? new[] { "runuser", "-u", user, "--" } : [], Path.Combine(BinDirectory, program), .. arguments];

    public static Task RunAsync(params string[] argv) => RunAsync(argv, check: true);

    private static async Task<int> RunAsync(string[] argv, bool check)
    {
        var startInfo = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in argv.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', argv)} exited {process.ExitCode}: {await output}{await error}");
        }

        return process.ExitCode;
    }

    /// <summary>
    /// One initdb per machine, kept in the temp folder and reused by later runs (a test host is killed at the end of a
    /// run, so nothing could delete a per-run copy). Built under a temporary name and renamed, so a half-made template
    /// is never used.
    /// </summary>
    private static async Task<string> CreateTemplateAsync()
    {
        if (RunAsUser is { } user && await RunAsync(["id", user], check: false) != 0)
        {
            await RunAsync("useradd", "--system", "--no-create-home", user);
        }

        var template = Path.Combine(Path.GetTempPath(), "rewind-pg-template-15-wal1m");
        if (File.Exists(Path.Combine(template, "data", "PG_VERSION")))
        {
            return Path.Combine(template, "data");
        }

        var building = await CreateDirectoryAsync("rewind-pg-template-building");
        await RunAsync(Pg("initdb", "-D", Path.Combine(building, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--wal-segsize=1", "--no-sync", "--no-instructions"));
        try
        {
            Directory.Move(building, template);
        }
        catch (IOException)
        {
            // Another test run made it first.
            Directory.Delete(building, recursive: true);
        }

        return Path.Combine(template, "data");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
