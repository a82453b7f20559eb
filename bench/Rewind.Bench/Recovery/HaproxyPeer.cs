using System.Diagnostics;
using System.Globalization;
using Rewind.Bench.Pipeline;
using Rewind.Runtime.Traffic;

namespace Rewind.Bench.Recovery;

/// <summary>
/// A real HAProxy (<c>/usr/sbin/haproxy</c>, Debian's package) in the foreground: a frontend on loopback balancing one
/// backend (round robin, so weights move traffic per request) over the given servers, each health-checked with
/// <c>GET /health</c> every 200 ms, and an admin runtime API socket. Disposing kills it.
/// </summary>
internal sealed class HaproxyPeer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/haproxy";
    private readonly PeerProcess _process;

    private HaproxyPeer(PeerProcess process, string socket, int frontendPort)
    {
        _process = process;
        Socket = socket;
        Runtime = new HaproxyRuntime(socket);
        FrontendUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{frontendPort}/"));
    }

    /// <summary><c>unix:&lt;dir&gt;/admin.sock</c>, level admin.</summary>
    public string Socket { get; }

    public HaproxyRuntime Runtime { get; }

    public Uri FrontendUrl { get; }

    /// <param name="servers">Each server's name, port on 127.0.0.1 and initial weight.</param>
    public static async Task<HaproxyPeer> StartAsync(string directory, string backend, int frontendPort, IEnumerable<(string Name, int Port, int Weight)> servers)
    {
        var config = Path.Combine(directory, "haproxy.cfg");
        var lines = servers.Select(s => string.Create(CultureInfo.InvariantCulture, $"    server {s.Name} 127.0.0.1:{s.Port} weight {s.Weight} check inter 200ms"));
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            global
                stats socket {directory}/admin.sock mode 600 level admin

            defaults
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
                timeout check 2s

            frontend web
                bind 127.0.0.1:{frontendPort}
                default_backend {backend}

            backend {backend}
                balance roundrobin
                option httpchk
                http-check send meth GET uri /health ver HTTP/1.1 hdr host localhost
            {string.Join('\n', lines)}

            """));
        var process = PeerProcess.Start("haproxy", Binary, ["-f", config, "-db"], Path.Combine(directory, "haproxy.log"));
        var peer = new HaproxyPeer(process, "unix:" + Path.Combine(directory, "admin.sock"), frontendPort);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"haproxy exited; see {Path.Combine(directory, "haproxy.log")}");
            }

            try
            {
                await peer.Runtime.GetServersAsync(backend);
                return peer;
            }
            catch (HaproxyRuntimeException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
