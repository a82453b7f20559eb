using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Shouldly;

namespace Rewind.TestUtils;

/// <summary>
/// A HAProxy of a test's own (the <c>haproxy</c> binary ./test.sh installs) in the foreground (<c>-db</c>): a frontend on
/// a free loopback port balancing (round robin) one backend over the given servers on loopback, each health-checked
/// with <c>GET /health</c> every 200 ms, and three runtime API sockets: admin over Unix, admin over TCP, and a
/// user-level one. Disposing kills it and deletes its directory. A missing <c>haproxy</c> fails the test, never skips it.
/// </summary>
public sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private HaproxyProcess(Process process, string directory, string backend, int frontendPort, int statsPort)
    {
        _process = process;
        _directory = directory;
        Backend = backend;
        FrontendUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{frontendPort}");
        AdminSocket = "unix:" + Path.Combine(directory, "admin.sock");
        AdminTcp = string.Create(CultureInfo.InvariantCulture, $"tcp:127.0.0.1:{statsPort}");
        UserSocket = "unix:" + Path.Combine(directory, "user.sock");
    }

    public string Backend { get; }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>: requests here are balanced over the backend's servers.</summary>
    public string FrontendUrl { get; }

    /// <summary>
    /// What <paramref name="count"/> requests through the frontend were answered (the backends answer their name), each
    /// on a new connection: HAProxy may keep a client's keep-alive requests on one server.
    /// </summary>
    public async Task<IReadOnlyList<string>> AnswersAsync(int count)
    {
        using var http = new HttpClient { BaseAddress = new Uri(FrontendUrl) };
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative)) { Headers = { ConnectionClose = true } };
            using var response = await http.SendAsync(request);
            names.Add(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        }

        return names;
    }

    /// <summary><c>unix:&lt;dir&gt;/admin.sock</c>, level admin.</summary>
    public string AdminSocket { get; }

    /// <summary><c>tcp:127.0.0.1:&lt;port&gt;</c>, level admin.</summary>
    public string AdminTcp { get; }

    /// <summary><c>unix:&lt;dir&gt;/user.sock</c>, level user: reads only.</summary>
    public string UserSocket { get; }

    /// <summary>What HAProxy printed so far (its warnings and alerts), for failure messages.</summary>
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

    /// <param name="servers">Each server's name, port on 127.0.0.1 and configured weight.</param>
    public static async Task<HaproxyProcess> StartAsync(IEnumerable<(string Name, int Port, int Weight)> servers, string backend = "app")
    {
        var directory = Directory.CreateTempSubdirectory("rewind-test-haproxy-").FullName;
        var frontendPort = FreeLoopbackPort();
        var statsPort = FreeLoopbackPort();
        var config = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(config, Config(directory, backend, frontendPort, statsPort, servers));
        var start = new ProcessStartInfo(FindHaproxy() ?? throw Missing(directory, null))
        {
            ArgumentList = { "-f", config, "-db" },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw Missing(directory, ex);
        }

        var haproxy = new HaproxyProcess(process, directory, backend, frontendPort, statsPort);
        process.OutputDataReceived += (_, e) => haproxy.Append(e.Data);
        process.ErrorDataReceived += (_, e) => haproxy.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.WaitAsync(
                async () =>
                {
                    process.HasExited.ShouldBeFalse($"haproxy exited with {(process.HasExited ? process.ExitCode : 0)}: {haproxy.Output}");
                    try
                    {
                        return (await haproxy.AskAsync("show info")).Contains("Name: HAProxy", StringComparison.Ordinal);
                    }
                    catch (SocketException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(30),
                $"HAProxy's runtime API to answer on {haproxy.AdminSocket}");
        }
        catch
        {
            await haproxy.DisposeAsync();
            throw;
        }

        return haproxy;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Config(string directory, string backend, int frontendPort, int statsPort, IEnumerable<(string Name, int Port, int Weight)> servers)
    {
        var config = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            global
                stats socket {directory}/admin.sock mode 600 level admin
                stats socket ipv4@127.0.0.1:{statsPort} level admin
                stats socket {directory}/user.sock mode 600 level user
                pidfile {directory}/haproxy.pid

            defaults
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
                # A check times out after "inter" (200 ms) unless told otherwise; a just-started Kestrel can be slower.
                timeout check 2s

            frontend web
                bind 127.0.0.1:{frontendPort}
                default_backend {backend}

            backend {backend}
                balance roundrobin
                option httpchk
                http-check send meth GET uri /health ver HTTP/1.1 hdr host localhost

            """));
        foreach (var (name, port, weight) in servers)
        {
            config.Append(CultureInfo.InvariantCulture, $"    server {name} 127.0.0.1:{port} weight {weight} check inter 200ms\n");
        }

        return config.ToString();
    }

    /// <summary>One command on the admin socket, without the client under test: only to know HAProxy is up.</summary>
    private async Task<string> AskAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(AdminSocket["unix:".Length..]), timeout.Token);
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"), timeout.Token);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(timeout.Token);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static string? FindHaproxy() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/local/sbin"])
            .Select(directory => Path.Combine(directory, "haproxy"))
            .FirstOrDefault(File.Exists);

    private static ShouldAssertException Missing(string directory, Exception? error)
    {
        Directory.Delete(directory, recursive: true);
        return new ShouldAssertException("cannot start haproxy (./test.sh installs it; or apt-get install haproxy)" + (error is null ? ": not found on PATH or in /usr/sbin" : ": " + error.Message), error);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
