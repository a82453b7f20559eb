using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Releases;
using Rewind.Core.Storage;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>
/// Every config in <c>samples/configs</c> is valid, and run by a real controller its dry run is exactly what the rollback
/// then does. Each runs on a <see cref="SampleCopy"/> whose outside addresses point at a loopback app (and, for the VM,
/// at a real HAProxy); the platform CLIs it calls by name (firebase, gcloud, wrangler, kubectl, systemctl) are
/// <c>samples/fakes/fake-cli</c>, put first on PATH for the duration of the test; secrets come from the environment.
/// </summary>
public sealed class SampleConfigTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string[] Functions = ["checkout-webhook", "order-created", "payment-succeeded", "send-receipt", "stock-sync"]; // fake-cli's default list
    private static readonly string[] Workers = ["email", "billing", "search-index"];
    private static readonly string[] Tools = ["firebase", "gcloud", "wrangler", "kubectl", "systemctl"];
    private static readonly string[] Samples = [.. Directory.GetDirectories(Path.Combine(Repository.Root, "samples", "configs")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
    private readonly string _root = Directory.CreateTempSubdirectory("rewind-samples-").FullName;
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];
    private readonly List<IAsyncDisposable> _peers = [];
    private readonly List<string> _agentHosts = [];
    private readonly List<RewindProcess> _agents = [];
    private LoopbackApp _world = null!;
    private WebApplication? _app;
    private HttpClient? _http;

    public static TheoryData<string> SampleNames => [.. Samples];

    private string Bin => Path.Combine(_root, "bin");

    private string CliState => Path.Combine(_root, "cli");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Bin);
        foreach (var tool in Tools)
        {
            File.CreateSymbolicLink(Path.Combine(Bin, tool), Path.Combine(Repository.Root, "samples", "fakes", "fake-cli"));
        }

        SetEnvironment("PATH", Bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"));
        SetEnvironment("FAKE_CLI_STATE", CliState);
        _world = await LoopbackApp.StartAsync(web => web.Map("/{**path}", (HttpContext context) =>
        {
            lock (_requests)
            {
                _requests.Add($"{context.Request.Method} {context.Request.Path} {context.Request.Headers.Authorization}".TrimEnd());
            }

            return context.Request.Path == "/"
                ? Results.Content("<html><head><title>Example Shop</title></head></html>", "text/html")
                : Results.Json(new { status = "ok" }, statusCode: context.Request.Method == "POST" && context.Request.Path.Value!.EndsWith("/releases", StringComparison.Ordinal) ? 201 : 200); // a deploy API creates
        }));
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            agent.Dispose();
        }

        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        foreach (var peer in _peers.Append(_world))
        {
            await peer.DisposeAsync();
        }

        foreach (var (name, value) in _environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Parse_EverySample_HasNoErrors()
    {
        Samples.Length.ShouldBe(5);
        foreach (var sample in Samples)
        {
            var path = Path.Combine(Repository.Root, "samples", "configs", sample!, "rewind.yaml");
            var parsed = ConfigParser.Parse(File.ReadAllText(path), path, Path.GetDirectoryName(path)!);

            parsed.Errors.ShouldBeEmpty(sample);
        }
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public async Task DryRun_OfASample_IsWhatItsRollbackThenDoes(string sample)
    {
        var (copy, components, group) = await PrepareAsync(sample);
        var client = await StartAsync(copy, components);
        var carol = await UserAsync(client, "carol", "tech-lead");

        var planned = group is null
            ? [await client.DryRunRollbackAsync(new RollbackRequest(components[0], "sample check"))]
            : (await client.DryRunGroupRollbackAsync(group, new GroupRollbackRequest("sample check"))).Plans;
        var requested = group is null
            ? [await client.RequestRollbackAsync(new RollbackRequest(components[0], "sample check"))]
            : (await client.RequestGroupRollbackAsync(group, new GroupRollbackRequest("sample check"))).Rollbacks;
        var done = new List<RollbackDto>();
        foreach (var rollback in requested)
        {
            done.Add(await ApproveUntilDoneAsync(client, carol, rollback.Id));
        }

        done.Select(r => (r.Component, r.Status, r.Error)).ShouldBe(components.Select(c => (c, "succeeded", (string?)null)));
        for (var i = 0; i < done.Count; i++)
        {
            done[i].Steps.Select(s => s.Description).ShouldBe(planned[i].Steps.Select(s => s.Description), $"{sample}: {done[i].Component}");
            (await client.GetComponentAsync(components[i])).CurrentVersion.ShouldBe("v1");
        }

        done.SelectMany(r => r.Steps).ShouldAllBe(s => s.Output == null || !s.Output.Contains("t0ken", StringComparison.Ordinal));
        string[] expected = sample switch
        {
            "functions-and-hosting" => ["firebase --project example-shop-prod --non-interactive hosting:clone example-shop:@v1 example-shop:live", "gcloud functions list",
                .. Functions.Select(f => $"gcloud functions deploy {f} --project example-shop-prod --region europe-west1 --source gs://example-shop-releases/v1/functions/{f}.zip --quiet")],
            "cloudflare" => ["wrangler rollback v1 --name shop-api", "wrangler pages deploy /var/lib/rewind/artifacts/site/v1 --project-name shop-site --branch main"],
            "kubernetes" => ["set image deployment/api api=registry.example.org/shop/api:v1", "rollout status deployment/api",
                .. Workers.SelectMany(w => new[] { $"set image deployment/worker-{w} *=registry.example.org/shop/worker:v1", $"rollout status deployment/worker-{w}" })],
            "vm-haproxy" => ["systemctl restart shop.service", "systemctl restart shop.service"], // on app-1, then app-2, by their agents
            _ => [],
        };
        var calls = Called();
        calls.Count.ShouldBe(expected.Length, string.Join("\n", calls));
        expected.ShouldAllBe(e => calls.Any(c => c.Contains(e, StringComparison.Ordinal)));
        lock (_requests)
        {
            _requests.Where(r => r.Contains("Bearer", StringComparison.Ordinal)).ShouldAllBe(r => r.EndsWith("Bearer t0ken", StringComparison.Ordinal)); // secrets from the environment
        }
    }

    private async Task<(SampleCopy Copy, string[] Components, string? Group)> PrepareAsync(string sample)
    {
        var world = _world.BaseUrl;
        switch (sample)
        {
            case "functions-and-hosting":
                return (new SampleCopy(sample)
                    .Replace("https://shop.example.org", world)
                    .Replace("https://europe-west1-example-shop-prod.cloudfunctions.net", world), ["shop"], null);
            case "cloudflare":
                SetEnvironment("CLOUDFLARE_API_TOKEN", "t0ken");
                SetEnvironment("CLOUDFLARE_ACCOUNT_ID", "0123456789abcdef");
                return (new SampleCopy(sample)
                    .Replace("https://api.example.org", world)
                    .Replace("https://www.example.org", world)
                    .Replace("https://api.cloudflare.com", world), ["api", "site"], "edge");
            case "kubernetes":
                return (new SampleCopy(sample)
                    .Replace("https://api.example.org", world)
                    .Set("components.api.probes.database.tcp.host", "127.0.0.1")
                    .Set("components.api.probes.database.tcp.port", new Uri(world).Port.ToString(System.Globalization.CultureInfo.InvariantCulture)), ["api"], null);
            case "vm-haproxy":
                return (await PrepareVmHaproxyAsync(sample, world), ["shop-config", "shop"], "shop");
            case "paas-api":
                SetEnvironment("PAAS_API_TOKEN", "t0ken");
                SetEnvironment("CHECKOUT_ADMIN_TOKEN", "t0ken");
                return (new SampleCopy(sample)
                    .Replace("https://api.paas.example.com", world)
                    .Replace("https://checkout.example.com", world), ["checkout"], null);
            default:
                throw new InvalidOperationException($"no loopback stand-ins for sample {sample}: add them here");
        }
    }

    /// <summary>
    /// Two app hosts and a database host, each a directory of its own with its agent (started once the controller is):
    /// HAProxy balancing over both app hosts and the maintenance page, each app host's release directory and config files
    /// (the sample's paths with <c>{{host}}</c> in them), the database on the test server, its repository on "db-1".
    /// </summary>
    private async Task<SampleCopy> PrepareVmHaproxyAsync(string sample, string world)
    {
        var sorry = await LoopbackApp.StartAsync(web => web.MapGet("/health", () => Results.Ok()));
        _peers.Add(sorry);
        var port = new Uri(world).Port;
        var haproxy = await HaproxyProcess.StartAsync([("app-1", port, 100), ("app-2", port, 100), ("sorry-1", new Uri(sorry.BaseUrl).Port, 0)], backend: "shop");
        _peers.Add(haproxy);
        foreach (var host in new[] { "app-1", "app-2" })
        {
            var releases = Path.Combine(_root, host, "srv-shop");
            Directory.CreateDirectory(Path.Combine(releases, "releases", "v1"));
            Directory.CreateDirectory(Path.Combine(releases, "releases", "v2"));
            File.CreateSymbolicLink(Path.Combine(releases, "current"), Path.Combine("releases", "v2"));
            var etc = Directory.CreateDirectory(Path.Combine(_root, host, "etc-shop", "conf.d")).Parent!.FullName;
            await File.WriteAllTextAsync(Path.Combine(etc, "shop.env"), "MODE=v1\n");
            await File.WriteAllTextAsync(Path.Combine(etc, "conf.d", "cache.conf"), "ttl=60\n");
        }

        _agentHosts.AddRange(["app-1", "app-2", "db-1"]);
        return new SampleCopy(sample)
            .Replace("/etc/shop", Path.Combine(_root, "{{host}}", "etc-shop"))
            .Replace("/var/lib/rewind-agent/files/shop-config", Path.Combine(_root, "{{host}}", "copies"))
            .Set("components.shop.provider.release-dir.path", Path.Combine(_root, "{{host}}", "srv-shop"))
            .Replace("unix:/run/haproxy/admin.sock", haproxy.AdminSocket)
            .Replace("http://lb-1.internal", world)
            .Set("components.shop.probes.app-1.tcp.host", "127.0.0.1")
            .Set("components.shop.probes.app-1.tcp.port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("components.db.provider.postgres.url", PostgresDatabase.ServerUrl())
            .Replace("/var/lib/rewind-agent/backups/db", Directory.CreateDirectory(Path.Combine(_root, "db-1", "repository")).FullName);
    }

    /// <summary>Each host's agent, a real <c>rewind agent</c> process with its own token and journal; db-1's with the config, for its cluster.</summary>
    private async Task StartAgentsAsync(RewindClient client, string address, string config)
    {
        foreach (var host in _agentHosts)
        {
            var token = await client.CreateAgentTokenAsync(new CreateAgentTokenRequest(host, "sample check"));
            string[] clusters = host.StartsWith("db-", StringComparison.Ordinal) ? ["--config", config] : [];
            _agents.Add(RewindProcess.Start(
                new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_AGENT_TOKEN"] = token.Token },
                ["agent", "--server", address, "--journal", Path.Combine(_root, host, "agent-journal"), .. clusters]));
        }

        await Eventually.WaitAsync(async () => (await client.GetAgentsAsync()).Count(a => a.Connected) == _agentHosts.Count, Deadline, "every host's agent to poll");
    }

    private async Task<RewindClient> StartAsync(SampleCopy copy, string[] components)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, "controller")).FullName;
        var parsed = ConfigParser.Parse(copy.WriteTo(directory), "rewind.yaml", directory);
        parsed.Errors.ShouldBeEmpty(copy.Sample);
        _app = await RewindServer.CreateAsync(parsed.Config!, new RewindServerOptions { MinimumLogLevel = LogLevel.Warning });
        var token = await Access.AccessBootstrap.AdminTokenAsync(_app.Services, "alice", "test");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address + "/") };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var client = new RewindClient(_http);
        await StartAgentsAsync(client, address, Path.Combine(directory, "rewind.yaml"));
        var store = _app.Services.GetRequiredService<IStore>();
        foreach (var component in components)
        {
            await client.RecordReleaseAsync(component, new RecordReleaseRequest("v1"));
            (await store.SetReleaseStateAsync(component, "v1", ReleaseState.Stable, TimeProvider.System.GetUtcNow())).ShouldBeTrue();
            await client.RecordReleaseAsync(component, new RecordReleaseRequest("v2"));
        }

        return client;
    }

    /// <summary>Approves, as a second person, whatever the rollback waits for (the authorisation matrix, then each gate), until it ends.</summary>
    private static async Task<RollbackDto> ApproveUntilDoneAsync(RewindClient client, RewindClient approver, string id)
    {
        var approved = new HashSet<int>();
        return await Eventually.WaitAsync(
            async () =>
            {
                var rollback = await client.GetRollbackAsync(id);
                var gate = rollback.Status == "awaiting" ? -1 : rollback.Steps.FirstOrDefault(s => s.AwaitingApproval)?.Index;
                if (gate is { } waiting && approved.Add(waiting))
                {
                    await approver.ApproveRollbackAsync(id, "checked");
                }

                return rollback.Status is "succeeded" or "failed" or "cancelled" ? rollback : null;
            },
            Deadline,
            $"rollback {id} to end");
    }

    private async Task<RewindClient> UserAsync(RewindClient admin, string name, params string[] roles)
    {
        await admin.CreateUserAsync(new CreateUserRequest(name, roles));
        var token = (await admin.CreateTokenAsync(name, new CreateTokenRequest())).Token;
        var http = new HttpClient { BaseAddress = _http!.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return new RewindClient(http);
    }

    /// <summary>The fake CLI's calls, as "tool argv…", in the order they were made.</summary>
    private List<string> Called()
    {
        var log = Path.Combine(CliState, "calls.log");
        return !File.Exists(log)
            ? []
            : [.. File.ReadAllLines(log).Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement).Select(call => string.Join(' ', [call.GetProperty("tool").GetString()!, .. call.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!)]))];
    }

    private void SetEnvironment(string name, string value)
    {
        _environment.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }
}
