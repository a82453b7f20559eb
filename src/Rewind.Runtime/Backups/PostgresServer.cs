using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Backups;

/// <summary>
/// A PostgreSQL server this engine starts on a restored data directory: <c>postgres</c> run directly (argv, no shell,
/// no <c>pg_ctl -o</c> string) on a free loopback port with Unix sockets off, and stopped with <c>pg_ctl stop</c>.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly BoundedOutput _log = new(16 * 1024);
    private readonly PostgresToolOptions _tools;
    private readonly ProcessRunner _runner;
    private readonly TimeProvider _timeProvider;
    private bool _stopped;

    private PostgresServer(PostgresToolOptions tools, ProcessRunner runner, TimeProvider timeProvider, string dataDirectory, int port, Process process)
    {
        _tools = tools;
        _runner = runner;
        _timeProvider = timeProvider;
        DataDirectory = dataDirectory;
        Port = port;
        _process = process;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The server's last 16 KiB of log output, for a failure message.</summary>
    public string Log => _log.ToString();

    public static PostgresServer Start(PostgresToolOptions tools, ProcessRunner runner, TimeProvider timeProvider, string dataDirectory, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var port = FreePort();
        var arguments = new List<string> { "-D", dataDirectory, "-p", port.ToString(CultureInfo.InvariantCulture) };
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["listen_addresses"] = "127.0.0.1",
            ["unix_socket_directories"] = "",
            ["logging_collector"] = "off",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            arguments.AddRange(["-c", $"{key}={value}"]);
        }

        var argv = tools.Command("postgres", arguments);
        var startInfo = new ProcessStartInfo(argv[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in argv.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var server = new PostgresServer(tools, runner, timeProvider, dataDirectory, port, process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new IOException($"cannot start {argv[0]}: {ex.Message}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return server;
    }

    public string ConnectionString(string baseConnectionString) => new NpgsqlConnectionStringBuilder(baseConnectionString)
    {
        Host = "127.0.0.1",
        Port = Port,
        Pooling = false,
        Timeout = 5,
    }.ConnectionString;

    /// <summary>Waits until the server accepts connections and has left recovery; <see langword="null"/> then, else why not.</summary>
    public async Task<string?> WaitUntilPromotedAsync(string baseConnectionString, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var started = _timeProvider.GetTimestamp();
        var last = "not started";
        while (_timeProvider.GetElapsedTime(started) < timeout)
        {
            if (_process.HasExited)
            {
                // Lets the output readers reach the end, so the log holds the server's last words.
                await _process.WaitForExitAsync(cancellationToken);
                return "the server stopped during recovery";
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString(baseConnectionString));
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("select pg_is_in_recovery()", connection);
                if (await command.ExecuteScalarAsync(cancellationToken) is false)
                {
                    return null;
                }

                last = "still in recovery";
            }
            catch (NpgsqlException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, cancellationToken);
        }

        return $"recovery did not finish within {timeout} (last: {last})";
    }

    /// <summary>
    /// Fast (or immediate) shutdown through <c>pg_ctl stop</c>, retried while the server is still writing its pid file;
    /// a kill of the process tree when that does not work.
    /// </summary>
    public async Task StopAsync(bool immediate = false)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        var started = _timeProvider.GetTimestamp();
        while (!_process.HasExited && _timeProvider.GetElapsedTime(started) < StopTimeout)
        {
            var stop = await _runner.RunAsync(new ProcessRequest(_tools.Command("pg_ctl", "stop", "-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60"), null, StopTimeout), CancellationToken.None);
            if (stop.Succeeded)
            {
                break;
            }

            // No postmaster.pid yet (the server is starting) or a fast shutdown that hangs: try again, harder.
            immediate = true;
            await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, CancellationToken.None);
        }

        try
        {
            using var timeout = new CancellationTokenSource(StopTimeout, _timeProvider);
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(immediate: true);
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            _log.Append(line + "\n");
        }
    }
}
