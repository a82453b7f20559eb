using System.Globalization;
using System.Text.Json;
using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A fleet: one component on three hosts (each its own release directory and its own <c>rewind agent</c> process),
/// rolled back two hosts at a time by their agents; a host without an agent is skipped as unreachable and pages.
/// </summary>
public sealed class FleetTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string[] Hosts = ["app-1", "app-2", "app-3"];

    [Fact]
    public async Task Rollback_OfAFleet_SwitchesAndRestartsEveryHostOnceThroughItsAgent()
    {
        await using var fleet = await FleetSetup.StartAsync("fleet: { concurrency: 2 }");
        var agents = Hosts.Select(fleet.StartAgent).ToList();
        try
        {
            var rollback = await fleet.RollBackAsync();

            rollback.Status.ShouldBe("succeeded", string.Join("\n", agents.Select(a => a.Output)));
            rollback.Steps[0].Kind.ShouldBe("fleet");
            rollback.Steps[0].Output.ShouldBe("3 of 3 host(s) done, 2 at a time");
            rollback.Steps[0].Members.ShouldNotBeNull().ShouldBe(new MemberCountsDto(3, 0, 0, 3, 0, 0));
            foreach (var host in Hosts)
            {
                fleet.CurrentOf(host).ShouldEndWith(Path.Combine("releases", "v1"));
                fleet.RestartsOf(host).ShouldBe(1);
            }
        }
        finally
        {
            agents.ForEach(a => a.Dispose());
        }
    }

    [Fact]
    public async Task Rollback_OfAFleet_HostWithoutAnAgent_IsSkippedAsUnreachable_TheOthersRollBack()
    {
        await using var fleet = await FleetSetup.StartAsync("unreachable: { wait: 1s, then: skip }");
        var agents = Hosts[..2].Select(fleet.StartAgent).ToList();
        try
        {
            var rollback = await fleet.RollBackAsync();

            rollback.Status.ShouldBe("succeeded", string.Join("\n", agents.Select(a => a.Output)));
            rollback.Steps[0].Output.ShouldBe("2 of 3 host(s) done, 1 at a time; unreachable, skipped (still on their release): app-3");
            rollback.Steps[0].Members.ShouldNotBeNull().Unreachable.ShouldBe(1);
            fleet.CurrentOf("app-3").ShouldEndWith(Path.Combine("releases", "v2"));
            fleet.RestartsOf("app-3").ShouldBe(0);
            var incident = await fleet.Client.GetIncidentAsync(rollback.IncidentId!);
            incident.Timeline.ShouldContain(e => e.Kind == "escalation" && e.Message.Contains("app-3 skipped as unreachable, it stays on its release", StringComparison.Ordinal));
        }
        finally
        {
            agents.ForEach(a => a.Dispose());
        }
    }

    [Fact]
    public async Task Rollback_OfAFleet_ControllerKilledMidFleet_ResumesWithoutSwitchingOrRestartingAnyHostTwice()
    {
        await using var fleet = await FleetSetup.StartAsync("fleet: { concurrency: 1 }", gated: true);
        var agents = Hosts.Select(fleet.StartAgent).ToList();
        try
        {
            var id = await fleet.StartRollbackAsync();
            await Eventually.WaitAsync(() => Task.FromResult(fleet.RestartsOf("app-1") == 1), Deadline, "app-1's restart to start");
            fleet.Release("app-1");
            await Eventually.WaitAsync(() => Task.FromResult(fleet.RestartsOf("app-2") == 1), Deadline, "app-2's restart to start, app-1 done");

            fleet.KillController(); // SIGKILL while app-2 restarts: the fleet step is half done
            fleet.Release("app-2"); // app-2 ends while no controller listens; its agent reports it when one is back
            fleet.Release("app-3");
            fleet.StartController();
            var rollback = await fleet.FinishedAsync(id);

            rollback.Status.ShouldBe("succeeded", string.Join("\n", agents.Select(a => a.Output)));
            rollback.Steps[0].Output.ShouldBe("3 of 3 host(s) done, 1 at a time");
            foreach (var host in Hosts)
            {
                fleet.CurrentOf(host).ShouldEndWith(Path.Combine("releases", "v1"));
                fleet.RestartsOf(host).ShouldBe(1, $"{host} restarted once, the controller's death notwithstanding");
            }
        }
        finally
        {
            agents.ForEach(a => a.Dispose());
        }
    }

    /// <summary>
    /// Three hosts under <c>hosts/</c>, each with releases v1 and v2 (current v2) and a restart that counts itself; the
    /// component's probe is the sample service (v1, healthy), standing for the fleet behind its load balancer. A gated
    /// restart waits until the test releases its host (<see cref="Release"/>), so a test can act while it runs.
    /// </summary>
    private sealed class FleetSetup : IAsyncDisposable
    {
        private readonly Deployment _deployment;
        private readonly HttpClient _http;
        private RewindProcess _controller;
        private readonly Dictionary<string, string> _tokens;

        private FleetSetup(Deployment deployment, HttpClient http, RewindProcess controller, Dictionary<string, string> tokens)
        {
            _deployment = deployment;
            _http = http;
            _controller = controller;
            _tokens = tokens;
            Client = new RewindClient(http);
        }

        public RewindClient Client { get; }

        private string HostsRoot => Path.Combine(_deployment.Root, "hosts");

        public static async Task<FleetSetup> StartAsync(string fleetConfig, bool gated = false)
        {
            var deployment = new Deployment();
            deployment.Install("v1", "none");
            deployment.PointCurrentAt("v1");
            var hostsRoot = Path.Combine(deployment.Root, "hosts");
            foreach (var host in Hosts)
            {
                Directory.CreateDirectory(Path.Combine(hostsRoot, host, "app", "releases", "v1"));
                Directory.CreateDirectory(Path.Combine(hostsRoot, host, "app", "releases", "v2"));
                File.CreateSymbolicLink(Path.Combine(hostsRoot, host, "app", "current"), Path.Combine("releases", "v2"));
            }

            var gate = gated ? $"; while [ ! -e '{hostsRoot}/{{{{host}}}}/go' ]; do sleep 0.05; done" : "";
            var restart = JsonSerializer.Serialize($"echo $$ >> '{hostsRoot}/{{{{host}}}}/restarts'{gate}");
            File.WriteAllText(deployment.ConfigPath, string.Create(CultureInfo.InvariantCulture, $$"""
                store: "sqlite:rewind.db"
                server:
                  listen: {{deployment.ApiUrl}}
                components:
                  web:
                    hosts: [app-1, app-2, app-3]
                    {{fleetConfig}}
                    provider:
                      release-dir:
                        path: "{{hostsRoot}}/{{"{{host}}"}}/app"
                        restart: ["/bin/sh", "-c", {{restart}}]
                    probes:
                      health:
                        http: { url: "{{deployment.ServiceUrl}}/health" }
                        interval: 300ms
                        timeout: 250ms
                    policies: {}
                    bake-time: 1s
                    healthy-successes: 2
                    healthy-timeout: 60s

                """));
            (await deployment.ServiceCtlAsync("start")).Succeeded.ShouldBeTrue();
            var http = new HttpClient { BaseAddress = new Uri(deployment.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await RewindProcess.InitAccessAsync(deployment.ConfigPath));
            var controller = RewindProcess.Start("serve", "--config", deployment.ConfigPath);
            var client = new RewindClient(http);
            await Eventually.WaitAsync(async () => (await client.GetHealthAsync()).Status == "ok", Deadline, "the controller to answer" + controller.Output);
            var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var host in Hosts)
            {
                tokens[host] = (await client.CreateAgentTokenAsync(new CreateAgentTokenRequest(host))).Token;
            }

            return new FleetSetup(deployment, http, controller, tokens);
        }

        public RewindProcess StartAgent(string host) => RewindProcess.Start(
            new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_AGENT_TOKEN"] = _tokens[host] },
            "agent",
            "--server",
            _deployment.ApiUrl,
            "--journal",
            Path.Combine(HostsRoot, host, "agent-journal"));

        public string CurrentOf(string host) => File.ResolveLinkTarget(Path.Combine(HostsRoot, host, "app", "current"), returnFinalTarget: false)!.FullName;

        public int RestartsOf(string host) => File.Exists(Path.Combine(HostsRoot, host, "restarts")) ? File.ReadAllLines(Path.Combine(HostsRoot, host, "restarts")).Length : 0;

        /// <summary>v1 recorded and stable, v2 recorded, then an operator's rollback to v1, to its end.</summary>
        public async Task<RollbackDto> RollBackAsync() => await FinishedAsync(await StartRollbackAsync());

        /// <summary>v1 recorded and stable, v2 recorded, then an operator's rollback to v1: its id.</summary>
        public async Task<string> StartRollbackAsync()
        {
            await Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
            await Eventually.WaitAsync(async () => (await Client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");
            await Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
            return (await Client.RequestRollbackAsync(new RollbackRequest("web", "fleet drill", "v1"))).Id;
        }

        public Task<RollbackDto> FinishedAsync(string id) => Eventually.WaitAsync(
            async () => await Client.GetRollbackAsync(id) is { Status: "succeeded" or "failed" } done ? done : null,
            TimeSpan.FromSeconds(90),
            "the rollback to finish");

        /// <summary>Lets <paramref name="host"/>'s gated restart end.</summary>
        public void Release(string host) => File.WriteAllText(Path.Combine(HostsRoot, host, "go"), "");

        /// <summary>SIGKILL to the controller: none answers until <see cref="StartController"/>.</summary>
        public void KillController()
        {
            _controller.KillHard();
            _controller.Dispose();
        }

        public void StartController() => _controller = RewindProcess.Start("serve", "--config", _deployment.ConfigPath);

        public async ValueTask DisposeAsync()
        {
            _controller.Dispose();
            _http.Dispose();
            await _deployment.DisposeAsync();
        }
    }
}
