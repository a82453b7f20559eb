using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.Client;
using Rewind.Core.Releases;
using Rewind.Server.Tests.Api;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>
/// The <c>http</c> provider against a real deploy API on loopback, the <c>files</c> provider on real files (copies taken
/// when a release is recorded), a plan declared on a policy, and a plan timeout, all run by a real controller.
/// </summary>
public sealed class ProviderTests : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly List<string> _deploys = [];
    private LoopbackApp? _paas;

    public async ValueTask DisposeAsync()
    {
        if (_paas is not null)
        {
            await _paas.DisposeAsync();
        }
    }

    [Fact]
    public async Task HttpProvider_SwitchesThroughTheDeployApi_AndAFailedCallLeavesTheComponentWhereItWas()
    {
        _paas = await LoopbackApp.StartAsync(web =>
        {
            web.MapGet("/health", () => Results.Ok());
            web.MapPost("/v1/services/{service}/deploys", async (string service, HttpContext context) =>
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body);
                lock (_deploys)
                {
                    _deploys.Add($"{service} {body.RootElement.GetProperty("release").GetString()} {context.Request.Headers.Authorization}");
                }

                return service == "broken" ? Results.Problem("build cache unavailable", statusCode: 503) : Results.Json(new { id = "dep-1" }, statusCode: 201);
            });
        });
        Environment.SetEnvironmentVariable("REWIND_TEST_PAAS_TOKEN", "paas-s3cret");
        string Component(string name) =>
            $$$"""{{{name}}}: { provider: { http: { url: "{{{_paas.BaseUrl}}}/v1/services/{{component}}/deploys", headers: { Authorization: "Bearer {{secret.REWIND_TEST_PAAS_TOKEN}}" }, body: '{"release": "{{target.version}}"}', expect-status: [201] } }, probes: { up: { http: { url: "{{{_paas.BaseUrl}}}/health" }, interval: 200ms, timeout: 100ms } }, healthy-successes: 1, healthy-timeout: 5s }""";
        await using var server = await ServerFixture.StartAsync(components: Component("api") + "\n  " + Component("broken"));
        foreach (var name in new[] { "api", "broken" })
        {
            await server.Client.RecordReleaseAsync(name, new RecordReleaseRequest("v1"));
            await server.Store.SetReleaseStateAsync(name, "v1", ReleaseState.Stable, TimeProvider.System.GetUtcNow());
            await server.Client.RecordReleaseAsync(name, new RecordReleaseRequest("v2"));
        }

        var dryRun = await server.Client.DryRunRollbackAsync(new RollbackRequest("api", "test"));
        var ok = await RunAsync(server, "api");
        var failed = await RunAsync(server, "broken");

        dryRun.Steps[0].Description.ShouldBe($"switch by POST {_paas.BaseUrl}/v1/services/api/deploys headers {{Authorization: Bearer {{{{secret.REWIND_TEST_PAAS_TOKEN}}}}}} body 17 bytes expect 201 (timeout 30s)");
        ok.Status.ShouldBe("succeeded", ok.Error);
        ok.Steps.Select(s => s.Description).ShouldBe(dryRun.Steps.Select(s => s.Description));
        ok.Steps[0].Output!.ShouldStartWith($"POST {_paas.BaseUrl}/v1/services/api/deploys: status 201 in ");
        (await server.Client.GetComponentAsync("api")).CurrentVersion.ShouldBe("v1");
        failed.Status.ShouldBe("failed");
        failed.Error!.ShouldStartWith($"step 1 (http) failed: POST {_paas.BaseUrl}/v1/services/broken/deploys: status 503 in ");
        failed.Error.ShouldContain("expected 201");
        failed.Error.ShouldContain("build cache unavailable");
        (await server.Client.GetComponentAsync("broken")).CurrentVersion.ShouldBe("v2"); // the deploy API said no: not moved
        _deploys.ShouldBe(["api v1 Bearer paas-s3cret", "broken v1 Bearer paas-s3cret"]);
        new[] { ok, failed }.SelectMany(r => r.Steps).ShouldAllBe(s => !s.Description.Contains("paas-s3cret", StringComparison.Ordinal) && (s.Output == null || !s.Output.Contains("paas-s3cret", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FilesProvider_ReleaseRecordKeepsACopy_RollbackRestoresIt_KeepsTheCurrentFilesAndReloads()
    {
        const string Config = """config: { provider: { files: { paths: [conf/app.env, conf/conf.d], store: copies, reload: [/bin/sh, -c, "echo reloaded >> ../reloads"] } }, probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } }, plan: [ { switch: {} } ] }""";
        await using var server = await ServerFixture.StartAsync(components: Config);
        var env = Path.Combine(server.Root, "conf", "app.env");
        var confD = Path.Combine(server.Root, "conf", "conf.d");
        Write(env, "MODE=v1\n");
        Write(Path.Combine(confD, "a.conf"), "a v1\n");
        await server.Client.RecordReleaseAsync("config", new RecordReleaseRequest("v1"));
        await server.Store.SetReleaseStateAsync("config", "v1", ReleaseState.Stable, TimeProvider.System.GetUtcNow());
        Write(env, "MODE=v2\n");
        Write(Path.Combine(confD, "b.conf"), "b v2\n");
        await server.Client.RecordReleaseAsync("config", new RecordReleaseRequest("v2"));
        Write(env, "MODE=v2-hand-edited-at-3am\n");

        var again = await Should.ThrowAsync<RewindApiException>(() => server.Client.RecordReleaseAsync("config", new RecordReleaseRequest("v1")));
        var done = await RunAsync(server, "config");

        again.Status.ShouldBe(409);
        again.Message.ShouldContain("release v1 of config is stable and its stored files differ from the files now in place");
        done.Status.ShouldBe("succeeded", done.Error);
        done.Steps.Select(s => s.Kind).ShouldBe(["files", "restart"]);
        done.Steps[0].Output.ShouldBe($"restored 2 file(s) of v1 from {server.Root}/copies/releases/v1: 1 replaced, 1 unchanged, 1 removed; the previous files (3) are kept in {server.Root}/copies/undo/{done.Id}");
        File.ReadAllText(env).ShouldBe("MODE=v1\n");
        Directory.GetFiles(confD).ShouldBe([Path.Combine(confD, "a.conf")]);
        File.ReadAllText(Path.Combine(server.Root, "reloads")).ShouldBe("reloaded\n");
        var undo = Path.Combine(server.Root, "copies", "undo", done.Id);
        Directory.GetFiles(Path.Combine(undo, "files")).Select(File.ReadAllText).Order(StringComparer.Ordinal).ShouldBe(["MODE=v2-hand-edited-at-3am\n", "a v1\n", "b v2\n"]);
        (await server.Client.GetComponentAsync("config")).CurrentVersion.ShouldBe("v1");
    }

    [Fact]
    public async Task PolicyPlan_WhenThatPolicyFires_ItsOwnPlanRuns_AndAPersonCanDryRunIt()
    {
        const string Policies = """{ down: { when: { probe: health, failing-for: 1500ms, min-failures: 2 }, mode: auto, plan: [ { command: { argv: [touch, policy-plan-ran] } }, { switch: {} } ] } }""";
        await using var server = await ServerFixture.StartAsync(policies: Policies, restart: "[\"true\"]");
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var dryRun = await server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test", Policy: "down"));
        var unknown = await Should.ThrowAsync<RewindApiException>(() => server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test", Policy: "nope")));
        var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbacksAsync() is [{ Status: "succeeded" or "failed" } r] ? r : null, Deadline, "the policy's rollback to finish");

        dryRun.PlanPolicy.ShouldBe("down");
        dryRun.Steps.Select(s => s.Kind).ShouldBe(["command", "switch", "restart"]);
        unknown.Status.ShouldBe(400);
        unknown.Message.ShouldContain("web has no policy 'nope' (policies: down)");
        done.Status.ShouldBe("succeeded", done.Error);
        done.PlanPolicy.ShouldBe("down");
        done.RequestedBy.ShouldBe("policy:down");
        done.Steps.Select(s => s.Description).ShouldBe(dryRun.Steps.Select(s => s.Description));
        File.Exists(Path.Combine(server.Root, "policy-plan-ran")).ShouldBeTrue();
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        var incident = await server.Client.GetIncidentAsync(done.IncidentId!);
        incident.Timeline.ShouldContain(e => e.Message.Contains("the plan of policy down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanTimeout_InterruptsTheRunningStep_AndFailsTheRollbackSayingWhere()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", componentExtra: "plan-timeout: 2s\n    plan: [ { switch: {} }, { command: { argv: [sleep, \"30\"], timeout: 1m } } ]");
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var dryRun = await server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test"));
        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "slow plan"));
        var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "failed" or "succeeded" } r ? r : null, TimeSpan.FromSeconds(60), "the rollback to end");

        dryRun.PlanTimeout.ShouldBe(TimeSpan.FromSeconds(2));
        done.PlanTimeout.ShouldBe(TimeSpan.FromSeconds(2));
        done.Status.ShouldBe("failed");
        done.Error.ShouldBe("plan timeout: 2s since it started ran out during step 3/3 (command); steps done: 1 switch, 2 restart");
        done.Steps[2].Status.ShouldBe("failed");
        done.Steps[2].Output.ShouldBe("interrupted: the plan's time (2s) ran out");
        (done.FinishedAt!.Value - done.StartedAt!.Value).ShouldBeLessThan(TimeSpan.FromSeconds(15)); // not the 30 s of the command
        var incident = await server.Client.GetIncidentAsync(done.IncidentId!);
        incident.Timeline.ShouldContain(e => e.Kind == "escalation" && e.Message.Contains("plan timeout", StringComparison.Ordinal));
    }

    private static async Task<RollbackDto> RunAsync(ServerFixture server, string component)
    {
        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest(component, "test"));
        return await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "failed" or "succeeded" } r ? r : null, Deadline, $"the rollback of {component} to finish");
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
