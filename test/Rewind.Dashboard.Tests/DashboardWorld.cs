using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Rewind.Client;
using Rewind.EndToEnd.Tests;
using Rewind.Runtime.Releases;
using Rewind.TestUtils;

namespace Rewind.Dashboard.Tests;

/// <summary>
/// One real <c>rewind serve</c> for every dashboard test, with two real sample services (<c>web</c>, <c>shop</c>: v1
/// healthy and known good, v2 broken) and <c>worker</c>, whose probe points at a closed port so its incident is open
/// from the start. Policies only notify; a manual rollback of <c>web</c> or <c>shop</c> needs an approver with a second
/// factor (two-person rule). <c>gate</c> is switched by a command and always healthy; its plan stops at an approval step
/// first (v1 is known good). <c>ledger</c> is switched by a command too, always healthy, and under the approval rule
/// (for the dry run's approval line). <c>db</c> is a PostgreSQL cluster, which no rollback may switch (nothing listens at its URL:
/// no step of it ever runs here). Users: olivia (operator), alex (approver, TOTP enrolled), vera (viewer).
/// </summary>
public sealed class DashboardWorld : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly Deployment _web = new();
    private readonly Deployment _shop = new();
    private RewindProcess? _server;
    private int _gateReleases;

    internal Deployment Web => _web;

    internal Deployment Shop => _shop;

    public string Url => _web.ApiUrl;

    public RewindClient Admin { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> Tokens { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public string AlexTotpSecret { get; private set; } = "";

    public string ServerOutput => _server?.Output ?? "";

    public async Task InitializeAsync()
    {
        foreach (var deployment in new[] { _web, _shop })
        {
            deployment.Install("v1", "none", startupDelayMs: deployment == _shop ? 2500 : 0); // shop's restart takes a moment: its rollback is seen running
            deployment.Install("v2", "broken");
            deployment.PointCurrentAt("v1");
            (await deployment.ServiceCtlAsync("start")).Succeeded.ShouldBeTrue();
        }

        using (var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) })
        {
            foreach (var deployment in new[] { _web, _shop })
            {
                await Eventually.WaitAsync(async () => (await probe.GetAsync(new Uri(deployment.ServiceUrl + "/health"))).IsSuccessStatusCode, Deadline, "v1 to answer healthy"); // no incident from a slow start
            }
        }

        Directory.CreateDirectory(Path.Combine(_web.Root, "worker", "releases", "v1"));
        Directory.CreateDirectory(Path.Combine(_web.Root, "worker", "releases", "v2"));
        File.CreateSymbolicLink(Path.Combine(_web.Root, "worker", "current"), Path.Combine("releases", "v1"));
        await File.WriteAllTextAsync(_web.ConfigPath, Config());
        var admin = await RewindProcess.InitAccessAsync(_web.ConfigPath);
        _server = RewindProcess.Start("serve", "--config", _web.ConfigPath);
        Admin = new RewindClient(Http(admin));
        await Eventually.WaitAsync(async () => !_server.HasExited && (await Admin.GetHealthAsync()).Status == "ok", Deadline, "the controller\n" + _server.Output);
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal) { ["admin"] = admin };
        foreach (var (user, role) in new[] { ("olivia", "operator"), ("alex", "approver"), ("vera", "viewer") })
        {
            await Admin.CreateUserAsync(new CreateUserRequest(user, [role]));
            tokens[user] = (await Admin.CreateTokenAsync(user, new CreateTokenRequest("dashboard tests"))).Token;
        }

        Tokens = tokens;
        AlexTotpSecret = (await As("alex").EnrolTotpAsync("alex")).Secret;
        foreach (var component in new[] { "web", "shop", "worker", "gate", "ledger" })
        {
            await Admin.RecordReleaseAsync(component, new RecordReleaseRequest("v1", RecordedBy: "deploy-bot"));
        }

        await Eventually.WaitAsync(async () => (await Admin.GetReleasesAsync("web")).Single().State == "stable" && (await Admin.GetReleasesAsync("shop")).Single().State == "stable"
            && (await Admin.GetReleasesAsync("gate")).Single().State == "stable" && (await Admin.GetReleasesAsync("ledger")).Single().State == "stable", Deadline, "v1 to become stable");
    }

    public RewindClient As(string user) => new(Http(Tokens[user]));

    /// <summary>Deploys broken v2 of a service as a pipeline would: recorded, switched, restarted.</summary>
    internal async Task DeployBrokenAsync(Deployment deployment, string component)
    {
        await Admin.RecordReleaseAsync(component, new RecordReleaseRequest("v2", Commit: "4f2c9e1", RecordedBy: "deploy-bot"));
        ReleaseDirectory.Switch(deployment.AppRoot, "v2").Succeeded.ShouldBeTrue();
        (await deployment.ServiceCtlAsync("restart")).Succeeded.ShouldBeTrue();
    }

    /// <summary>
    /// Records a new release of <c>gate</c> and has olivia ask to roll it back to v1: the rollback (and the incident it
    /// opens) stops at the plan's approval step until someone decides. Tests use one each, one after the other.
    /// </summary>
    public async Task<RollbackDto> RollBackGateAsync(string reason)
    {
        var version = $"v{Interlocked.Increment(ref _gateReleases) + 1}";
        await Admin.RecordReleaseAsync("gate", new RecordReleaseRequest(version, RecordedBy: "deploy-bot"));
        var rollback = await As("olivia").RequestRollbackAsync(new RollbackRequest("gate", reason, ToVersion: "v1"));
        await Eventually.WaitAsync(async () => (await Admin.GetRollbackAsync(rollback.Id)).Steps[0].AwaitingApproval, Deadline, "the rollback to wait at its approval step");
        return rollback;
    }

    public Task<IncidentDto> OpenIncidentAsync(string component) =>
        Eventually.WaitAsync(async () => (await Admin.GetComponentAsync(component)).OpenIncident is { } id ? await Admin.GetIncidentAsync(id) : null, Deadline, $"an incident on {component}");

    public async Task DisposeAsync()
    {
        _server?.Terminate();
        if (_server is not null)
        {
            await _server.WaitForExitAsync(TimeSpan.FromSeconds(15));
            _server.Dispose();
        }

        await _web.DisposeAsync();
        await _shop.DisposeAsync();
    }

    private HttpClient Http(string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private string Config() => string.Create(CultureInfo.InvariantCulture, $$"""
        store: "sqlite:rewind.db"
        server:
          listen: {{Url}}
          limits: { login-attempts-per-minute: 10000, anonymous-requests-per-minute: 10000, event-streams-per-user: 100 } # every test logs fresh browsers in from 127.0.0.1, as alice
        components:
        {{Component("web", _web)}}
        {{Component("shop", _shop)}}
          worker:
            provider:
              release-dir:
                path: worker
                restart: [true]
            probes:
              health:
                http: { url: "http://127.0.0.1:9/health" }
                interval: 500ms
                timeout: 200ms
            policies:
              health-down:
                when: { probe: health, failing-for: 1s, min-failures: 2 }
                severity: P3
                mode: notify
          gate:
            provider:
              command: { switch: [/bin/true] }
            probes:
              up: { command: { argv: [/bin/true] }, interval: 500ms, timeout: 400ms }
            bake-time: 1s
            healthy-successes: 1
            plan:
              - approval: { any-of: [approver], message: "Is the queue drained?" }
              - switch: {}
          ledger:
            provider:
              command: { switch: [/bin/true] }
            probes:
              up: { command: { argv: [/bin/true] }, interval: 500ms, timeout: 400ms }
            bake-time: 1s
            healthy-successes: 1
          db:
            provider:
              postgres: { url: "postgres://rewind@127.0.0.1:9/orders", data-directory: db-data }
            probes:
              up: { command: { argv: [/bin/true] }, interval: 500ms, timeout: 400ms }
        approvals:
          - when: { policies: [manual], components: [web, shop, ledger] }
            any-of: [approver]
            second-factor: true
        """);

    private static string Component(string name, Deployment deployment) => string.Create(CultureInfo.InvariantCulture, $$"""
          {{name}}:
            provider:
              release-dir:
                path: {{JsonSerializer.Serialize(deployment.AppRoot)}}
                restart: [{{JsonSerializer.Serialize(Deployment.ServiceCtl)}}, restart, {{JsonSerializer.Serialize(deployment.AppRoot)}}, "{{deployment.ServicePort}}"]
            probes:
              health:
                http:
                  url: {{deployment.ServiceUrl}}/health
                  json-field: { path: status, equals: ok }
                interval: 200ms
                timeout: 200ms
            scrapes:
              app: { url: "{{deployment.ServiceUrl}}/metrics", interval: 500ms, timeout: 400ms }
            policies:
              health-down:
                when: { probe: health, failing-for: 300ms, min-failures: 2 }
                severity: P1
                mode: notify
            bake-time: 1s
            healthy-successes: 3
            healthy-timeout: 60s
        """);
}

[CollectionDefinition(Name)]
public sealed class DashboardRuns : ICollectionFixture<DashboardWorld>, ICollectionFixture<Browser>
{
    public const string Name = "dashboard";
}
