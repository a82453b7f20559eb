using System.Globalization;
using System.Text.Json;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>A real release-dir deployment of the sample service in a temp directory, with a Rewind config for it.</summary>
internal sealed class Deployment : IAsyncDisposable
{
    public Deployment()
    {
        Root = Directory.CreateTempSubdirectory("rewind-e2e-").FullName;
        ServicePort = SampleRelease.FreeLoopbackPort();
        ApiPort = SampleRelease.FreeLoopbackPort();
    }

    public string Root { get; }

    public string AppRoot => Path.Combine(Root, "app");

    public string ConfigPath => Path.Combine(Root, "rewind.yaml");

    public int ServicePort { get; }

    public int ApiPort { get; }

    public string ApiUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ApiPort}");

    public string ServiceUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ServicePort}");

    public static string ServiceCtl => Path.Combine(Repository.Root, "samples", "servicectl");

    public void Install(string version, string fault, int startupDelayMs = 0, double errorFraction = 0) =>
        SampleRelease.Install(Repository.BuildOutput("SampleService"), AppRoot, version, fault == "broken", startupDelayMs, errorFraction);

    public void PointCurrentAt(string version) =>
        File.CreateSymbolicLink(Path.Combine(AppRoot, "current"), Path.Combine("releases", version));

    /// <summary>
    /// The health probe and policy, plus a scrape of the service's /metrics and a regression policy on it. The health
    /// policy waits 10 s here, so the restart of a deploy (connection refused for a moment) never fires it.
    /// </summary>
    public void WriteRegressionConfig() => File.WriteAllText(ConfigPath, File.ReadAllText(ConfigPath).Replace("    bake-time: 1s", string.Create(CultureInfo.InvariantCulture, $$"""
            scrapes:
              app: { url: "{{ServiceUrl}}/metrics", interval: 500ms, timeout: 400ms }
            bake-time: 1s
        """).TrimEnd('\n'), StringComparison.Ordinal).Replace("failing-for: 600ms", "failing-for: 10s", StringComparison.Ordinal).Replace("        mode: auto\n", "        mode: auto\n      regressed:\n        when: { regression: { scrape: app, baseline-rate: 0.01, factor: 10 } }\n        mode: auto\n", StringComparison.Ordinal));

    public void WriteConfig(string store = "sqlite:rewind.db") => File.WriteAllText(ConfigPath, string.Create(CultureInfo.InvariantCulture, $$"""
        store: "{{store}}"
        server:
          listen: {{ApiUrl}}
        components:
          web:
            provider:
              release-dir:
                path: app
                restart: [{{JsonSerializer.Serialize(ServiceCtl)}}, restart, {{JsonSerializer.Serialize(AppRoot)}}, "{{ServicePort}}"]
            probes:
              health:
                http:
                  url: {{ServiceUrl}}/health
                  json-field: { path: status, equals: ok }
                interval: 300ms
                timeout: 250ms
            policies:
              health-down:
                when: { probe: health, failing-for: 600ms, min-failures: 2 }
                mode: auto
            bake-time: 1s
            healthy-successes: 3
            healthy-timeout: 60s

        """));

    public Task<ProcessResult> ServiceCtlAsync(string verb) =>
        new ProcessRunner().RunAsync(new ProcessRequest([ServiceCtl, verb, AppRoot, ServicePort.ToString(CultureInfo.InvariantCulture)], Root, TimeSpan.FromSeconds(30)));

    public async ValueTask DisposeAsync()
    {
        await ServiceCtlAsync("stop");
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a process that is still exiting may hold a file; the temp directory is cleaned by the OS later
        }
    }
}
