using System.Globalization;
using System.Text.Json;
using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A component on a host: the controller (<c>rewind serve</c>) and the host's agent (<c>rewind agent</c>) are separate
/// processes, the host is its own directory; the controller never touches it. A rollback's switch, restart and host
/// commands are run by the agent; a killed agent or controller never makes a step run twice; a host without an agent
/// is unreachable, not failed.
/// </summary>
public sealed class AgentTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Rollback_OfAComponentOnAHost_IsRunThereByItsAgent()
    {
        await using var host = await HostSetup.StartAsync();
        using var agent = host.StartAgent();

        var rollback = await host.DeployBadReleaseAsync();

        rollback.Status.ShouldBe("succeeded", host.Logs(agent));
        rollback.Steps.Select(s => s.Kind).ShouldBe(["on-host", "on-host", "wait-healthy"]);
        rollback.Steps[0].Output.ShouldStartWith("on app-1: switched");
        rollback.Steps[1].Output.ShouldStartWith("on app-1: ");
        host.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        var agents = await host.Client.GetAgentsAsync();
        agents.ShouldHaveSingleItem().Host.ShouldBe("app-1");
        agents[0].Connected.ShouldBeTrue();
        agent.Output.ShouldContain($"{rollback.Id}.1.app-1."); // the attempt of step 1 on app-1
        agent.Output.ShouldContain(": succeeded: switched");
    }

    [Fact]
    public async Task Rollback_HostWithoutAnAgent_IsUnreachable_AndTheHostIsNotTouched()
    {
        await using var host = await HostSetup.StartAsync(unreachableWait: "1s");

        var rollback = await host.DeployBadReleaseAsync();

        rollback.Status.ShouldBe("failed");
        rollback.Steps[0].Status.ShouldBe("failed");
        rollback.Steps[0].Output.ShouldBe("app-1 unreachable: no agent of the host has ever polled; the step was not taken within 1s, so app-1 was not touched");
        host.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task Rollback_AgentKilledMidStep_IsReportedUnknownAfterItsRestart_AndNotRunAgain()
    {
        await using var host = await HostSetup.StartAsync(hostCommand: "sleep 60");
        using (var first = host.StartAgent())
        {
            await host.DeployBadReleaseAsync(waitForEnd: false);
            await Eventually.WaitAsync(() => Task.FromResult(host.HostCommandRuns == 1), Deadline, "the host command to start on the agent");
            first.KillHard();
        }

        using var second = host.StartAgent();
        var rollback = await host.FinishedRollbackAsync();

        rollback.Status.ShouldBe("failed", host.Logs(second));
        rollback.Steps[2].Output.ShouldStartWith("on app-1, state unknown: the agent stopped while it ran this step (started at ");
        rollback.Error.ShouldNotBeNull().ShouldContain("a person must look");
        host.HostCommandRuns.ShouldBe(1);
    }

    [Fact]
    public async Task Rollback_ControllerKilledWhileTheAgentRunsAStep_ResumesWithTheSameAttempt()
    {
        await using var host = await HostSetup.StartAsync(hostCommand: "sleep 2");
        using var agent = host.StartAgent();
        await host.DeployBadReleaseAsync(waitForEnd: false);
        await Eventually.WaitAsync(() => Task.FromResult(host.HostCommandRuns == 1), Deadline, "the host command to start on the agent");

        host.RestartController();
        var rollback = await host.FinishedRollbackAsync();

        rollback.Status.ShouldBe("succeeded", host.Logs(agent));
        rollback.Steps[2].Output.ShouldStartWith("on app-1: ");
        rollback.Steps[2].Attempts.ShouldBe(2); // the executor started it twice: before and after the kill
        host.HostCommandRuns.ShouldBe(1); // the host ran it once
    }

    [Fact]
    public async Task Rollback_AgentCutOffMidStep_IsUnreachable_AndItsLateReportIsKeptWhenHealed()
    {
        await using var host = await HostSetup.StartAsync(unreachableWait: "2s", hostCommand: "sleep 10");
        await using var cut = new LoopbackCut(host.ApiPort);
        using var agent = host.StartAgent(cut.Url);
        await host.DeployBadReleaseAsync(waitForEnd: false);
        await Eventually.WaitAsync(() => Task.FromResult(host.HostCommandRuns == 1), Deadline, "the host command to start on the agent");

        cut.Cut();
        var rollback = await host.FinishedRollbackAsync();
        rollback.Status.ShouldBe("failed", host.Logs(agent));
        rollback.Steps[2].Output.ShouldStartWith("app-1 unreachable: its agent was last heard from at ");
        rollback.Steps[2].Output.ShouldNotBeNull().ShouldContain("whether it acted on app-1 is unknown, a person must look");
        cut.Heal();

        var incident = await Eventually.WaitAsync(
            async () => await host.Client.GetIncidentAsync(rollback.IncidentId!) is { } i && i.Timeline.Any(e => e.Message.Contains("reported after the step was given up as unreachable: succeeded", StringComparison.Ordinal)) ? i : null,
            Deadline,
            "the agent's late report once the partition healed");
        incident.Timeline.ShouldContain(e => e.Kind == "escalation" && e.Actor == "agent:app-1");
        host.HostCommandRuns.ShouldBe(1);
        (await host.Client.GetAgentsAsync()).ShouldHaveSingleItem().Connected.ShouldBeTrue();
    }

    [Fact]
    public async Task Abort_WhileTheAgentRunsAStep_StopsItOnTheHost()
    {
        await using var host = await HostSetup.StartAsync(hostCommand: "sleep 120");
        using var agent = host.StartAgent();
        var running = await host.DeployBadReleaseAsync(waitForEnd: false);
        await Eventually.WaitAsync(() => Task.FromResult(host.HostCommandRuns == 1), Deadline, "the host command to start on the agent");

        await host.Client.AbortRollbackAsync(running.Id, "the host command hangs");

        await Eventually.WaitAsync(() => Task.FromResult(agent.Output.Contains("while the step ran here: stopping it", StringComparison.Ordinal)), Deadline, "the agent to stop the step");
        await Eventually.WaitAsync(() => Task.FromResult(!host.HostCommandAlive), Deadline, "the host command's process to be ended");
        await Eventually.WaitAsync(() => Task.FromResult(agent.Output.Contains(": failed: stopped", StringComparison.Ordinal)), Deadline, "the agent to report the stopped step");
        (await host.FinishedRollbackAsync()).Status.ShouldBe("cancelled");
    }

    [Fact]
    public async Task BreakGlass_WithNoController_RollsTheHostBackToTheCachedKnownGood_AndIsReportedWhenTheControllerIsBack()
    {
        await using var host = await HostSetup.StartAsync(v2Fault: "none");
        using var agent = host.StartAgent();
        await host.DeployHealthyReleaseAsync();
        await Eventually.WaitAsync(() => Task.FromResult(host.KnownGood.Contains("\"toVersion\":\"v1\"", StringComparison.Ordinal) && host.KnownGood.Contains("\"fromVersion\":\"v2\"", StringComparison.Ordinal)), Deadline, "the agent to keep v1 as the last known good");
        host.StopController();

        using var refused = host.BreakGlass("web");
        (await refused.WaitForExitAsync(Deadline)).ShouldBe(2, refused.Output); // says what it would do, changes nothing
        using var glass = host.BreakGlass("web", "--yes");
        (await glass.WaitForExitAsync(Deadline)).ShouldBe(0, glass.Output);
        host.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        refused.Output.ShouldContain("web on app-1: v2 -> v1");
        refused.Output.ShouldContain("nothing was changed: add --yes to run it");

        host.StartController();
        var entry = await Eventually.WaitAsync(
            async () => (await Task.WhenAll((await host.Client.GetIncidentsAsync()).Select(i => host.Client.GetIncidentAsync(i.Id)))).SelectMany(i => i.Timeline).FirstOrDefault(e => e.Message.StartsWith("break-glass rollback on app-1 by ", StringComparison.Ordinal)),
            Deadline,
            "the agent to report the break glass to the controller that is back");
        entry.Message.ShouldContain("web v2 -> v1 succeeded: switched");
        entry.Kind.ShouldBe("escalation");
    }

    /// <summary>
    /// The sample service's release directory as a host (<c>app-1</c>), its controller, and an agent token. With
    /// <paramref name="hostCommand"/>, the plan runs it on the host after the switch and restart (through /bin/sh, as a
    /// config may), each run leaving its process id in a file.
    /// </summary>
    private sealed class HostSetup : IAsyncDisposable
    {
        private readonly Deployment _deployment;
        private readonly HttpClient _http;
        private RewindProcess _controller;
        private string? _rollbackId;

        private HostSetup(Deployment deployment, HttpClient http, RewindProcess controller, string agentToken)
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

        public static async Task<HostSetup> StartAsync(string unreachableWait = "30s", string? hostCommand = null, string v2Fault = "broken")
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
            File.WriteAllText(deployment.ConfigPath, File.ReadAllText(deployment.ConfigPath).Replace("  web:\n", $"  web:\n    host: app-1\n    unreachable: {{ wait: {unreachableWait} }}\n{plan}", StringComparison.Ordinal));
            (await deployment.ServiceCtlAsync("start")).Succeeded.ShouldBeTrue();
            var http = new HttpClient { BaseAddress = new Uri(deployment.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await RewindProcess.InitAccessAsync(deployment.ConfigPath));
            var controller = RewindProcess.Start("serve", "--config", deployment.ConfigPath);
            var client = new RewindClient(http);
            await Eventually.WaitAsync(async () => (await client.GetHealthAsync()).Status == "ok", Deadline, "the controller to answer");
            var token = await client.CreateAgentTokenAsync(new CreateAgentTokenRequest("app-1", "end-to-end test"));
            return new HostSetup(deployment, http, controller, token.Token);
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

        /// <summary>v1 recorded and stable, then v2 (healthy) deployed by hand and recorded: nothing to roll back.</summary>
        public async Task DeployHealthyReleaseAsync()
        {
            await Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
            await Eventually.WaitAsync(async () => (await Client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");
            Runtime.Releases.ReleaseDirectory.Switch(_deployment.AppRoot, "v2").Succeeded.ShouldBeTrue();
            (await _deployment.ServiceCtlAsync("restart")).Succeeded.ShouldBeTrue();
            await Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
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
}
