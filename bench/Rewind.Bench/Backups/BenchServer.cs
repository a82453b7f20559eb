using System.Diagnostics;
using System.Text;
using Npgsql;

namespace Rewind.Bench.Backups;

/// <summary>
/// A PostgreSQL server on a data directory, <c>postgres</c> started directly with <c>-c</c> settings (argv, no shell, no
/// <c>pg_ctl -o</c> string) on a loopback port, stopped with <c>pg_ctl stop</c>.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private bool _stopped;

    private BenchServer(string dataDirectory, int port, Process process)
    {
        DataDirectory = dataDirectory;
        Port = port;
        _process = process;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public string ConnectionString(string database = "postgres") =>
        Pg.F($"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false;Timeout=5;Command Timeout=0");

    /// <summary>libpq's form, for pg_basebackup, pg_dump and pgbench.</summary>
    public string Libpq(string database = "postgres") => Pg.F($"host=127.0.0.1 port={Port} user=postgres dbname={database}");

    /// <summary>Starts <c>postgres</c> on <paramref name="dataDirectory"/>; returns at once (see <see cref="WaitUntilPromotedAsync"/>).</summary>
    public static BenchServer Start(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = Pg.FreePort();
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["listen_addresses"] = "127.0.0.1",
            ["unix_socket_directories"] = "",
            ["logging_collector"] = "off",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>(StringComparer.Ordinal))
        {
            all[key] = value;
        }

        var arguments = new List<string> { "-D", dataDirectory, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in all)
        {
            arguments.AddRange(["-c", $"{key}={value}"]);
        }

        var argv = Pg.Command("postgres", [.. arguments]);
        var startInfo = new ProcessStartInfo(argv[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in argv.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var server = new BenchServer(dataDirectory, port, process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls every 100 ms (as Rewind's restore does) until a connection works and <c>pg_is_in_recovery()</c> is false.</summary>
    public async Task WaitUntilPromotedAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = "not started";
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"postgres on {DataDirectory} stopped: {Log()}");
            }

            try
            {
                if (await ScalarAsync<bool>("select pg_is_in_recovery()") is false)
                {
                    return;
                }

                last = "still in recovery";
            }
            catch (NpgsqlException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"postgres on {DataDirectory} not promoted within {timeout} ({last}): {Log()}");
    }

    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (!_process.HasExited)
        {
            await Pg.RunAsync(Pg.Command("pg_ctl", "stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "120"), TimeSpan.FromMinutes(3));
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped && !_process.HasExited)
        {
            _stopped = true;
            var result = await new Rewind.Runtime.Processes.ProcessRunner().RunAsync(new(Pg.Command("pg_ctl", "stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"), null, TimeSpan.FromSeconds(70)));
            if (!result.Succeeded && !_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public string Log()
    {
        lock (_log)
        {
            var text = _log.ToString();
            return text.Length > 4000 ? text[^4000..] : text;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length > 64 * 1024)
            {
                _log.Remove(0, 32 * 1024);
            }

            _log.Append(line).Append('\n');
        }
    }
}
