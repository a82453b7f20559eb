using System.Globalization;
using System.Text.Json;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Samples;

namespace Rewind.Bench;

/// <summary>Two release-dir deployments of the sample service: one watched by Rewind, one for the baselines.</summary>
internal sealed class BenchWorkspace
{
    public BenchWorkspace(string repositoryRoot)
    {
        RepositoryRoot = repositoryRoot;
        Root = Directory.CreateTempSubdirectory("rewind-bench-").FullName;
        WatchedPort = SampleRelease.FreeLoopbackPort();
        BaselinePort = SampleRelease.FreeLoopbackPort();
        ApiPort = SampleRelease.FreeLoopbackPort();
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
        SampleRelease.Install(build, Watched, version, broken);
        SampleRelease.Install(build, Baseline, version, broken);
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
            # Every run is an automatic rollback; the default limit (3 an hour) would stop the fourth.
            auto-rollback-limit: { count: 100, window: 1h }
            healthy-successes: 3
            healthy-timeout: 60s
        """);

    public async Task<ProcessResult> ServiceCtlAsync(string verb, string app, int port) =>
        await new ProcessRunner().RunAsync(new ProcessRequest([ServiceCtl, verb, app, port.ToString(CultureInfo.InvariantCulture)], Root, TimeSpan.FromSeconds(30)));
}
