using System.Globalization;
using System.Text.Json;
using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// The sample service's release directory as a host (<c>app-1</c>), its controller, and an agent token. With
/// <paramref name="hostCommand"/>, the plan runs it on the host after the switch and restart (through /bin/sh, as a
/// config may), each run leaving its process id in a file.
/// </summary>
internal sealed class AgentHostSetup : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly Deployment _deployment;
    private readonly HttpClient _http;
    private RewindProcess _controller;
    private string? _rollbackId;

    private AgentHostSetup(Deployment deployment, HttpClient http, RewindProcess controller, string agentToken)
    {
        _deployment = deployment;
        _http = http;
        _controller = controller;
        AgentToken = agentToken;
        Client = new RewindClient(http);
    }

    public RewindClient Client { get; }

    public string AgentToken { get; }

    public string CurrentTarget => File.ResolveLinkTarget(Path.Combine(_deployment.AppRoot, "current"), returnFinalTarget: false)!.FullName;

    private string RunsFile => Path.Combine(_deployment.Root, "host-command-runs");

    public int HostCommandRuns => File.Exists(RunsFile) ? File.ReadAllLines(RunsFile).Length : 0;

    /// <summary>Whether the process the host command became (its pid is in the runs file) still runs.</summary>
    public bool HostCommandAlive => File.Exists(RunsFile) && File.ReadAllLines(RunsFile).Any(pid => Directory.Exists($"/proc/{pid.Trim()}"));

    /// <param name="probes">More probes of the component, in YAML at the probes' indentation (a probe for the host's agent, say).</param>
    public static async Task<AgentHostSetup> StartAsync(string unreachableWait = "30s", string? hostCommand = null, string v2Fault = "broken", string probes = "")
    {
        var deployment = new Deployment();
        deployment.Install("v1", "none");
        deployment.Install("v2", v2Fault);
        deployment.PointCurrentAt("v1");
        deployment.WriteConfig();
        var runs = Path.Combine(deployment.Root, "host-command-runs");
        var plan = hostCommand is null ? "" : string.Create(CultureInfo.InvariantCulture, $$"""
                plan:
                  - switch: {}
                  - name: on-host work
                    command: { argv: ["/bin/sh", "-c", {{JsonSerializer.Serialize($"echo $$ >> '{runs}'; exec {hostCommand}")}}], host: app-1, timeout: 90s }
                  - wait-healthy: {}

            """);
        File.WriteAllText(deployment.ConfigPath, File.ReadAllText(deployment.ConfigPath).Replace("  web:\n", $"  web:\n    host: app-1\n    unreachable: {{ wait: {unreachableWait} }}\n{plan}", StringComparison.Ordinal).Replace("    probes:\n", $"    probes:\n{probes}", StringComparison.Ordinal));
        (await deployment.ServiceCtlAsync("start")).Succeeded.ShouldBeTrue();
        var http = new HttpClient { BaseAddress = new Uri(deployment.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await RewindProcess.InitAccessAsync(deployment.ConfigPath));
        var controller = RewindProcess.Start("serve", "--config", deployment.ConfigPath);
        var client = new RewindClient(http);
        await Eventually.WaitAsync(async () => (await client.GetHealthAsync()).Status == "ok", Deadline, "the controller to answer");
        var token = await client.CreateAgentTokenAsync(new CreateAgentTokenRequest("app-1", "end-to-end test"));
        return new AgentHostSetup(deployment, http, controller, token.Token);
    }

    public int ApiPort => _deployment.ApiPort;

    public RewindProcess StartAgent(string? server = null) => RewindProcess.Start(
        new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_AGENT_TOKEN"] = AgentToken },
        "agent",
        "--server",
        server ?? _deployment.ApiUrl,
        "--journal",
        Path.Combine(_deployment.Root, "agent-journal"));

    /// <summary>v1 recorded and stable, then v2 (broken) deployed by hand and recorded: the health policy rolls it back.</summary>
    public async Task<RollbackDto> DeployBadReleaseAsync(bool waitForEnd = true)
    {
        await Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await Eventually.WaitAsync(async () => (await Client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");
        Runtime.Releases.ReleaseDirectory.Switch(_deployment.AppRoot, "v2").Succeeded.ShouldBeTrue();
        (await _deployment.ServiceCtlAsync("restart")).Succeeded.ShouldBeTrue();
        await Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
        var started = await Eventually.WaitAsync(async () => await Client.GetRollbacksAsync() is { Count: > 0 } all ? all[0] : null, Deadline, "the rollback to start");
        _rollbackId = started.Id;
        return waitForEnd ? await FinishedRollbackAsync() : started;
    }

    public Task<RollbackDto> FinishedRollbackAsync() => Eventually.WaitAsync(
        async () => await Client.GetRollbackAsync(_rollbackId!) is { Status: "succeeded" or "failed" or "cancelled" } done ? done : null,
        TimeSpan.FromSeconds(90),
        "the rollback to finish");

    /// <summary>SIGKILL to the controller, and a new one on the same store.</summary>
    public void RestartController()
    {
        StopController();
        StartController();
    }

    /// <summary>SIGKILL to the controller: none answers until <see cref="StartController"/>.</summary>
    public void StopController()
    {
        _controller.KillHard();
        _controller.Dispose();
    }

    public void StartController() => _controller = RewindProcess.Start("serve", "--config", _deployment.ConfigPath);

    /// <summary>What the agent keeps of the host's last known goods (its journal's copy), or "" before it got any.</summary>
    public string KnownGood => File.Exists(Path.Combine(_deployment.Root, "agent-journal", "known-good.json")) ? File.ReadAllText(Path.Combine(_deployment.Root, "agent-journal", "known-good.json")) : "";

    /// <summary><c>rewind agent rollback COMPONENT</c> on the host, with the agent's journal.</summary>
    public RewindProcess BreakGlass(string component, params string[] extra) =>
        RewindProcess.Start(["agent", "rollback", component, "--journal", Path.Combine(_deployment.Root, "agent-journal"), .. extra]);

    /// <summary>
    /// v1 recorded and stable, then v2 (healthy) deployed by hand as a deploy pipeline does: recorded as deploying first,
    /// so that the restart's gap (longer on a loaded host) opens no incident and rolls nothing back.
    /// </summary>
    public async Task DeployHealthyReleaseAsync()
    {
        await Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await Eventually.WaitAsync(async () => (await Client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");
        await Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2", Deploying: true));
        Runtime.Releases.ReleaseDirectory.Switch(_deployment.AppRoot, "v2").Succeeded.ShouldBeTrue();
        (await _deployment.ServiceCtlAsync("restart")).Succeeded.ShouldBeTrue();
    }

    public string Logs(RewindProcess agent) => $"controller:\n{_controller.Output}\nagent:\n{agent.Output}";

    public async ValueTask DisposeAsync()
    {
        _controller.Dispose();
        _http.Dispose();
        if (File.Exists(RunsFile))
        {
            foreach (var pid in File.ReadAllLines(RunsFile))
            {
                using var kill = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kill") { ArgumentList = { "-KILL", pid.Trim() }, UseShellExecute = false, RedirectStandardError = true });
                await kill!.WaitForExitAsync();
            }
        }

        await _deployment.DisposeAsync();
    }
}
