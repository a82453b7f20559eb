using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Rewind.Runtime.Processes;

namespace Rewind.Bench;

/// <summary>Two release-dir deployments of the sample service: one watched by Rewind, one for the baselines.</summary>
internal sealed class BenchWorkspace
{
    public BenchWorkspace(string repositoryRoot)
    {
        RepositoryRoot = repositoryRoot;
        Root = Directory.CreateTempSubdirectory("rewind-bench-").FullName;
        WatchedPort = FreePort();
        BaselinePort = FreePort();
        ApiPort = FreePort();
    }

    public string RepositoryRoot { get; }

    public string Root { get; }

    public string Watched => Path.Combine(Root, "app");

    public string Baseline => Path.Combine(Root, "baseline");

    public int WatchedPort { get; }

    public int BaselinePort { get; }

    public int ApiPort { get; }

    public string ServiceCtl => Path.Combine(RepositoryRoot, "samples", "servicectl");

    public void Install(string version, bool broken)
    {
        var build = Path.Combine(RepositoryRoot, ".artifacts", "bin", "SampleService", "release");
        foreach (var app in new[] { Watched, Baseline })
        {
            var target = Path.Combine(app, "releases", version);
            Directory.CreateDirectory(target);
            foreach (var file in Directory.EnumerateFiles(build))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }

            File.WriteAllText(Path.Combine(target, "release.json"), JsonSerializer.Serialize(new { version, fault = broken ? "broken" : "none", startupDelayMs = 0 }));
        }
    }

    public string Config() => string.Create(CultureInfo.InvariantCulture, $$"""
        store: sqlite:{{Path.Combine(Root, "rewind.db")}}
        server:
          listen: http://127.0.0.1:{{ApiPort}}
        components:
          web:
            provider:
              release-dir:
                path: {{JsonSerializer.Serialize(Watched)}}
                restart: [{{JsonSerializer.Serialize(ServiceCtl)}}, restart, {{JsonSerializer.Serialize(Watched)}}, "{{WatchedPort}}"]
            probes:
              health:
                http:
                  url: http://127.0.0.1:{{WatchedPort}}/health
                  json-field: { path: status, equals: ok }
                interval: 500ms
                timeout: 400ms
            policies:
              health-down:
                when: { probe: health, failing-for: 1s, min-failures: 2 }
                mode: auto
                cooldown: 1s
            bake-time: 2s
            healthy-successes: 3
            healthy-timeout: 60s
        """);

    public async Task<ProcessResult> ServiceCtlAsync(string verb, string app, int port) =>
        await new ProcessRunner().RunAsync(new ProcessRequest([ServiceCtl, verb, app, port.ToString(CultureInfo.InvariantCulture)], Root, TimeSpan.FromSeconds(30)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
