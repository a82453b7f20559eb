using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Rewind.TestUtils;

/// <summary>
/// <c>samples/fakes/fake-managed-postgres serve</c> in a child process, ready once it printed its listening line; on
/// dispose stopped with SIGTERM (which stops its PostgreSQL), or killed together with its postmaster. Used by the
/// fake's own tests and by the seed stacks whose database is a provider's.
/// </summary>
public sealed partial class ManagedPostgresServer : IAsyncDisposable
{
    public const string Token = "test-token-1f3a";
    private static readonly string Script = Path.Combine(Repository.Root, "samples", "fakes", "fake-managed-postgres");
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(180);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ManagedPostgresServer(Process process, string state)
    {
        _process = process;
        State = state;
    }

    public string State { get; }

    public Uri Api { get; private set; } = null!;

    public int PostgresPort { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>The database as a <c>postgres://</c> URL, the form of Rewind's config (the provider's connection string).</summary>
    public string Url => $"postgres://postgres@127.0.0.1:{PostgresPort.ToString(CultureInfo.InvariantCulture)}/postgres";

    public string ConnectionString => $"Host=127.0.0.1;Port={PostgresPort.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres;Pooling=false;Timeout=5";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server on a free port with <see cref="Token"/>, no queue delay, and <paramref name="flags"/> after those (later flags win).</summary>
    public static async Task<ManagedPostgresServer> StartAsync(string state, params string[] flags)
    {
        string[] args = ["serve", "--state", state, "--listen", "127.0.0.1:0", "--token", Token, "--latency-ms", "0", .. flags];
        var start = new ProcessStartInfo(Script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("FAKE_MANAGED_POSTGRES_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited); // only the flags given here
        }

        var process = Process.Start(start)!;
        var server = new ManagedPostgresServer(process, state);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginErrorReadLine();
        try
        {
            await server.ReadListeningLineAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An HTTP client for the control plane, with the bearer token unless <paramref name="authorization"/> says otherwise.</summary>
    public HttpClient Client(AuthenticationHeaderValue? authorization = null) =>
        new() { BaseAddress = Api, DefaultRequestHeaders = { Authorization = authorization ?? new AuthenticationHeaderValue("Bearer", Token) } };

    public async Task<NpgsqlConnection> ConnectAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The postmaster's pid from the current data directory, or <see langword="null"/> when it has none.</summary>
    public int? PostmasterPid()
    {
        var file = Path.Combine(State, "data", "postmaster.pid");
        return File.Exists(file) ? int.Parse(File.ReadLines(file).First(), CultureInfo.InvariantCulture) : null;
    }

    /// <summary>SIGTERM, as a service manager stops it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit(5_000);
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Terminate();
            try
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(60));
            }
            catch (OperationCanceledException)
            {
                var postmaster = PostmasterPid();
                _process.Kill(entireProcessTree: true);
                KillQuietly(postmaster);
            }
        }

        _process.Dispose();
    }

    private static void KillQuietly(int? pid)
    {
        try
        {
            using var process = pid is { } id ? Process.GetProcessById(id) : null;
            process?.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    private async Task ReadListeningLineAsync()
    {
        using var deadline = new CancellationTokenSource(StartDeadline);
        while (await _process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            Append(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                Api = new Uri(match.Groups["api"].Value);
                PostgresPort = int.Parse(match.Groups["pg"].Value, CultureInfo.InvariantCulture);
                _ = DrainAsync();
                return;
            }
        }

        throw new InvalidOperationException("fake-managed-postgres exited before it was ready: " + Output);
    }

    private async Task DrainAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            Append(line);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"^listening on (?<api>http://127\.0\.0\.1:\d+) postgres on 127\.0\.0\.1:(?<pg>\d+)$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ListeningLine();
}
