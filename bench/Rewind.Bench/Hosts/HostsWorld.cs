using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Rewind.Client;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Samples;

namespace Rewind.Bench.Hosts;

/// <summary>
/// Twenty "hosts" on this machine, each a directory of its own: a release-dir deployment of the sample service (v1 good,
/// v2 bad) on a port of its own, a <c>restart</c> wrapper that appends one line to the host's count file and then calls
/// <c>samples/servicectl restart</c>, and a <c>rewind agent</c> with its own token and journal. One controller
/// (<c>rewind serve</c>, SQLite store) knows the hosts as one fleet component. The baselines use the same directories
/// and the same wrappers, so a restart is counted the same way whoever makes it.
/// </summary>
internal sealed class HostsWorld : IAsyncDisposable
{
    public const int HostCount = 20;
    public const int Concurrency = 10;
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    private readonly string _repository;
    private readonly Dictionary<string, CliProcess> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _agentTokens = new(StringComparer.Ordinal);
    private readonly HttpClient _api;
    private CliProcess? _controller;
    private int _maxFailed;

    private HostsWorld(string repository, string root)
    {
        _repository = repository;
        Root = root;
        Hosts = [.. Enumerable.Range(1, HostCount).Select(i => F($"h{i:00}"))];
        Ports = Hosts.ToDictionary(h => h, _ => SampleRelease.FreeLoopbackPort(), StringComparer.Ordinal);
        ApiUrl = F($"http://127.0.0.1:{SampleRelease.FreeLoopbackPort()}");
        _api = new HttpClient { BaseAddress = new Uri(ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(10) };
        Client = new RewindClient(_api);
    }

    public string Root { get; }

    public IReadOnlyList<string> Hosts { get; }

    public IReadOnlyDictionary<string, int> Ports { get; }

    public string ApiUrl { get; }

    public RewindClient Client { get; }

    public string ConfigPath => Path.Combine(Root, "rewind.yaml");

    public string HostDir(string host) => Path.Combine(Root, "hosts", host);

    public string App(string host) => Path.Combine(HostDir(host), "app");

    public string RestartScript(string host) => Path.Combine(HostDir(host), "restart");

    public string CountFile(string host) => Path.Combine(HostDir(host), "restarts");

    /// <summary>When each restart of <paramref name="host"/> began (the wrapper's clock), one per line of its count file.</summary>
    public IReadOnlyList<DateTimeOffset> Restarts(string host) =>
        File.Exists(CountFile(host))
            ? [.. File.ReadAllLines(CountFile(host)).Where(l => l.Length > 0).Select(l => DateTimeOffset.FromUnixTimeMilliseconds((long)(1000 * double.Parse(l.Split(' ')[0], CultureInfo.InvariantCulture))))]
            : [];

    public int MaxFailed => _maxFailed;

    public static async Task<HostsWorld> CreateAsync(string repository)
    {
        var world = new HostsWorld(repository, Directory.CreateTempSubdirectory("rewind-hosts-").FullName);
        try
        {
            await world.PrepareAsync();
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every host back on the bad release: links to v2, services restarted on it (not through the wrappers), count files emptied.</summary>
    public async Task ResetToBadAsync()
    {
        foreach (var host in Hosts)
        {
            Runtime.Releases.ReleaseDirectory.Switch(App(host), "v2").Succeeded.Check($"{host}: switching to v2");
        }

        await ServicesAsync("restart");
        await WaitAllAnswerAsync("v2");
        foreach (var host in Hosts)
        {
            File.WriteAllText(CountFile(host), "");
        }
    }

    /// <summary>Every host's service answers /health with <paramref name="version"/>.</summary>
    public async Task WaitAllAnswerAsync(string version)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Wait.UntilAsync(async () => (await Task.WhenAll(Hosts.Select(h => HealthProbe.VersionAsync(http, Ports[h])))).All(v => v?.Version == version), $"every service to answer {version}");
    }

    /// <summary>A new bad release recorded as current (a rolled-back version is never recorded again, so each case names its own).</summary>
    public Task RecordBadAsync(string version) => Client.RecordReleaseAsync("web", new RecordReleaseRequest(version));

    /// <summary>Rewrites the config with <paramref name="maxFailed"/> and restarts the controller on it (SIGTERM), agents reconnected.</summary>
    public async Task ReconfigureAsync(int maxFailed)
    {
        _maxFailed = maxFailed;
        await File.WriteAllTextAsync(ConfigPath, Config());
        _controller?.Stop();
        _controller?.Dispose();
        await StartControllerAsync();
        await WaitAgentsConnectedAsync();
    }

    /// <summary>SIGKILL to the controller and a new one on the same store and port, not waited for.</summary>
    public void KillAndRestartController()
    {
        _controller!.KillHard();
        _controller.Dispose();
        _controller = CliProcess.Start(_repository, "controller", Root, new Dictionary<string, string>(StringComparer.Ordinal), "serve", "--config", ConfigPath);
    }

    /// <summary>SIGKILL to <paramref name="host"/>'s agent and a new one on the same journal, not waited for.</summary>
    public void KillAndRestartAgent(string host)
    {
        _agents[host].KillHard();
        _agents[host].Dispose();
        StartAgent(host);
    }

    public async Task WaitAgentsConnectedAsync() =>
        await Wait.UntilAsync(async () => (await Client.GetAgentsAsync()).Count(a => a.Connected && Hosts.Contains(a.Host, StringComparer.Ordinal)) == HostCount, $"{HostCount} agents to be connected");

    public Task<ProcessResult> ServiceCtlAsync(string verb, string host) =>
        new ProcessRunner().RunAsync(new ProcessRequest([Path.Combine(_repository, "samples", "servicectl"), verb, App(host), Ports[host].ToString(CultureInfo.InvariantCulture)], Root, TimeSpan.FromSeconds(60)));

    /// <summary>The logs of the controller and the agents, for a look after a run.</summary>
    public string Logs() => string.Join("\n", new[] { _controller }.Concat(_agents.Values).OfType<CliProcess>().Select(p => $"== {p.Name}\n{p.Output}"));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "rewind-bench-hosts.log"), Logs());
        }
        catch (IOException)
        {
            // the log is a convenience
        }

        Parallel.ForEach(_agents.Values, a => a.Dispose());
        _controller?.Dispose();
        await ServicesAsync("stop");
        _api.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // left for the system's temp cleaning
        }
    }

    private async Task PrepareAsync()
    {
        var build = Path.Combine(_repository, ".artifacts", "bin", "SampleService", "release");
        var servicectl = Path.Combine(_repository, "samples", "servicectl");
        foreach (var host in Hosts)
        {
            SampleRelease.Install(build, App(host), "v1", broken: false);
            SampleRelease.Install(build, App(host), "v2", broken: true);
            File.CreateSymbolicLink(Path.Combine(App(host), "current"), Path.Combine("releases", "v1"));
            File.WriteAllText(RestartScript(host), F($"""
                #!/bin/sh
                # {host}'s restart: one line (time, pid) in its count file per restart, then the service on its port
                echo "$(date +%s.%N) $$" >> '{CountFile(host)}'
                exec '{servicectl}' restart '{App(host)}' {Ports[host]}

                """));
            Executable(RestartScript(host));
        }

        await ServicesAsync("start");
        await WaitAllAnswerAsync("v1");
        await File.WriteAllTextAsync(ConfigPath, Config());
        var init = await new ProcessRunner().RunAsync(new ProcessRequest(["dotnet", Path.Combine(_repository, ".artifacts", "bin", "Rewind.Cli", "release", "rewind.dll"), "access", "init", "admin", "--config", ConfigPath], Root, TimeSpan.FromMinutes(2)));
        init.Succeeded.Check($"rewind access init: {init.Output}");
        var admin = init.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("rwt_", StringComparison.Ordinal));
        _api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
        await StartControllerAsync();
        foreach (var host in Hosts)
        {
            _agentTokens[host] = (await Client.CreateAgentTokenAsync(new CreateAgentTokenRequest(host, "hosts benchmark"))).Token;
        }

        foreach (var host in Hosts)
        {
            StartAgent(host);
        }

        await WaitAgentsConnectedAsync();
        await Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await Wait.UntilAsync(async () => (await Client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), "v1 to become stable");
    }

    private async Task StartControllerAsync()
    {
        _controller = CliProcess.Start(_repository, "controller", Root, new Dictionary<string, string>(StringComparer.Ordinal), "serve", "--config", ConfigPath);
        await Wait.UntilAsync(async () => !_controller.HasExited && (await Client.GetHealthAsync()).Status == "ok", "the controller to answer", () => _controller.Output);
    }

    private void StartAgent(string host) =>
        _agents[host] = CliProcess.Start(_repository, $"agent {host}", HostDir(host), new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_AGENT_TOKEN"] = _agentTokens[host] }, "agent", "--server", ApiUrl, "--journal", Path.Combine(HostDir(host), "agent-journal"));

    /// <summary>servicectl on every host, five at a time (a restart is a .NET start; twenty at once only measure the scheduler).</summary>
    private async Task ServicesAsync(string verb) =>
        await Parallel.ForEachAsync(Hosts, new ParallelOptions { MaxDegreeOfParallelism = 5 }, async (host, _) =>
            (await ServiceCtlAsync(verb, host)).Succeeded.Check($"servicectl {verb} on {host}"));

    /// <summary>
    /// The fleet component: the hosts, 10 at a time, the release-dir on each host's own path and its restart wrapper;
    /// the component's probe is h01's service (the plan's wait-healthy; the benchmark checks all twenty itself); no
    /// policies, so only the benchmark's requests roll back.
    /// </summary>
    private string Config() => F($$"""
        store: "sqlite:{{Path.Combine(Root, "rewind.db")}}"
        server:
          listen: {{ApiUrl}}
        components:
          web:
            hosts: [{{string.Join(", ", Hosts)}}]
            fleet: { concurrency: {{Concurrency}}, max-failed: {{_maxFailed}} }
            unreachable: { wait: 2m, then: fail }
            provider:
              release-dir:
                path: "{{Path.Combine(Root, "hosts")}}/{{"{{host}}"}}/app"
                restart: ["{{Path.Combine(Root, "hosts")}}/{{"{{host}}"}}/restart"]
            probes:
              health:
                http:
                  url: http://127.0.0.1:{{Ports[Hosts[0]]}}/health
                  json-field: { path: status, equals: ok }
                interval: 500ms
                timeout: 400ms
            policies: {}
            bake-time: 1s
            healthy-successes: 1
            healthy-timeout: 60s

        """);

    /// <summary>Makes a script the benchmark wrote runnable by its owner.</summary>
    public static void Executable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
