using System.Globalization;
using Rewind.Bench.Pipeline;
using Rewind.Runtime.Samples;

namespace Rewind.Bench.Scale;

/// <summary>
/// The probed target: Debian's nginx in the foreground with a config of its own in a temporary directory, one worker,
/// no access log, answering <c>GET /health/…</c> with a static <c>{"status":"ok"}</c>. Every component has a path of
/// its own on it, so the peers see N distinct targets. Disposing stops it.
/// </summary>
internal sealed class NginxTarget : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    private readonly PeerProcess _process;

    private NginxTarget(PeerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static async Task<NginxTarget> StartAsync(string root)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, "nginx")).FullName;
        var port = SampleRelease.FreeLoopbackPort();
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(directory, port));
        var process = PeerProcess.Start("nginx", Binary, ["-p", directory + "/", "-c", config, "-e", Path.Combine(directory, "error.log")], Path.Combine(directory, "nginx.out"));
        var target = new NginxTarget(process, port);
        try
        {
            await TargetWatch.WaitHealthyAsync(target.Url("c00000"), TimeSpan.FromSeconds(30));
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    public string Url(string component) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/health/{component}");

    /// <summary>CPU of the master and its worker, in milliseconds.</summary>
    public double CpuMs() => ProcCpu.TreeMs(Pid);

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();

    /// <summary>
    /// Sized for tens of thousands of connections (the probers may open one per probe in flight) with a listen backlog
    /// at the kernel's limit, so that the target is never the bottleneck; otherwise nginx's defaults.
    /// </summary>
    private static string Config(string directory, int port) => string.Create(CultureInfo.InvariantCulture, $$"""
        daemon off;
        worker_processes 1;
        worker_rlimit_nofile 20000;
        pid {{directory}}/nginx.pid;
        events { worker_connections 19000; }
        http {
          access_log off;
          client_body_temp_path {{directory}}/body;
          proxy_temp_path {{directory}}/proxy;
          fastcgi_temp_path {{directory}}/fastcgi;
          uwsgi_temp_path {{directory}}/uwsgi;
          scgi_temp_path {{directory}}/scgi;
          server {
            listen 127.0.0.1:{{port}} backlog=4096;
            location /health/ {
              default_type application/json;
              return 200 '{"status":"ok"}';
            }
          }
        }
        """);
}
