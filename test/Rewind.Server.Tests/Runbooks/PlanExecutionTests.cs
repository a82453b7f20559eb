using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.Client;
using Rewind.Runtime.Processes;
using Rewind.Server.Tests.Api;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>
/// A declared plan (command provider, http, batch over the fake functions CLI, command) run by a real controller: the
/// dry run is exactly what then runs, batch progress streams over SSE, each member's result is kept.
/// </summary>
public sealed class PlanExecutionTests : IAsyncDisposable
{
    private static readonly string Fake = Path.Combine(Repository.Root, "samples", "fakes", "fake-functions");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _state = Directory.CreateTempSubdirectory("rewind-fx-").FullName;
    private readonly List<string> _hooks = [];
    private LoopbackApp? _hookApp;

    public async ValueTask DisposeAsync()
    {
        if (_hookApp is not null)
        {
            await _hookApp.DisposeAsync();
        }

        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task DeclaredPlan_RunsExactlyWhatTheDryRunShowed_StreamingBatchProgress()
    {
        await Fx("init", "--count", "8", "--version", "v2");
        _hookApp = await LoopbackApp.StartAsync(web => web.MapPost("/hooks/{name}", (string name, HttpContext context) =>
        {
            lock (_hooks)
            {
                _hooks.Add($"{name} {context.Request.Headers.Authorization}");
            }

            return Results.Ok();
        }));
        Environment.SetEnvironmentVariable("REWIND_TEST_HOOK_TOKEN", "t0ken");
        await using var server = await ServerFixture.StartAsync(componentExtra: Plan(_hookApp.BaseUrl), probeUrl: "http://127.0.0.1:9/health");
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var dryRun = await server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test"));
        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        var seen = new List<RollbackDto>();
        using var follow = new CancellationTokenSource(Deadline);
        await foreach (var state in server.Client.FollowRollbackAsync(requested.Id, follow.Token))
        {
            seen.Add(state);
        }

        var done = seen[^1];
        done.Status.ShouldBe("succeeded", done.Error);
        done.Steps.Select(s => s.Description).ShouldBe(dryRun.Steps.Select(s => s.Description)); // the dry run is what ran
        seen.ShouldContain(s => s.Steps[2].Members != null && s.Steps[2].Members!.Succeeded > 0 && s.Steps[2].Members!.Succeeded < 8); // progress, live
        done.Steps[2].Members.ShouldBe(new MemberCountsDto(8, 0, 0, 8, 0));
        var members = await server.Client.GetMembersAsync(requested.Id, 2);
        members.Select(m => m.Member).ShouldBe(Enumerable.Range(1, 8).Select(i => $"fn-{i:000}"));
        members.ShouldAllBe(m => m.Status == "succeeded" && m.Attempts >= 1 && m.Output!.Contains("Rolled back", StringComparison.Ordinal));
        _hooks.ShouldBe(["maintenance-on Bearer t0ken", "maintenance-off Bearer t0ken"]);
        (await Fx("audit")).ShouldContain("\"doubleRollbacks\": []");
        done.Steps.ShouldAllBe(s => !s.Description.Contains("t0ken", StringComparison.Ordinal) && (s.Output == null || !s.Output.Contains("t0ken", StringComparison.Ordinal)));
        (await server.Client.GetComponentAsync("web")).CurrentVersion.ShouldBe("v1");
    }

    [Fact]
    public async Task ParallelGroup_FlushesNotifiesAndRunsAtOnce_AndAFailingMemberFailsTheGroup()
    {
        _hookApp = await LoopbackApp.StartAsync(web => web.MapPost("/purge", async () =>
        {
#pragma warning disable RS0030 // a slow purge hook, not a wait of the test
            await Task.Delay(1000);
#pragma warning restore RS0030
            lock (_hooks)
            {
                _hooks.Add("purged");
            }

            return Results.Ok();
        }));
        var plan = $$$"""
            plan: [
                      { switch: {} },
                      { parallel: [
                          { cache-flush: { http: { url: "{{{_hookApp.BaseUrl}}}/purge" } } },
                          { command: { argv: [sleep, "1"] } },
                          { notify: { message: "{{component}} is back on {{target.version}}; caches purged" } }
                      ] },
                      { parallel: [ { command: { argv: ["false"] } }, { command: { argv: ["true"] } } ] }
                    ]
            """;
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", componentExtra: plan);
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "failed" or "succeeded" } r ? r : null, Deadline, "the rollback to finish");

        done.Status.ShouldBe("failed");
        done.Steps[2].Description.ShouldBe($"in parallel: (1) cache-flush: POST {_hookApp.BaseUrl}/purge expect 2xx (timeout 30s); (2) argv [\"sleep\", \"1\"] in {server.Root} (timeout 1m, accept exit 0); (3) notify \"web is back on v1; caches purged\"");
        done.Steps[2].Status.ShouldBe("succeeded");
        (done.Steps[2].FinishedAt!.Value - done.Steps[2].StartedAt!.Value).ShouldBeLessThan(TimeSpan.FromSeconds(1.9)); // at once, not one after the other
        done.Steps[3].Output!.ShouldStartWith("1 of 2 succeeded\n(1) command failed: exit 1");
        done.Error!.ShouldStartWith("step 4 (parallel) failed: 1 of 2 succeeded");
        _hooks.ShouldBe(["purged"]);
        var incident = await server.Client.GetIncidentAsync(requested.IncidentId!);
        incident.Timeline.ShouldContain(e => e.Kind == "note" && e.Message == $"web is back on v1; caches purged [{requested.Id} step 3]");
    }

    [Theory]
    [InlineData(2, "succeeded", "try 3 of 3: exit 0 in ")]
    [InlineData(1, "failed", "try 2 of 2: exit 1 in ")]
    public async Task CommandStep_WithRetries_IsTriedAgainUntilItPassesOrTheyRunOut(int retries, string status, string output)
    {
        // Fails twice, then passes: a counter in the config's directory, the step's working directory.
        var plan = $$$"""plan: [ { switch: {} }, { command: { argv: [/bin/sh, -c, "n=$(cat tries 2>/dev/null || echo 0); n=$((n+1)); echo $n > tries; [ $n -ge 3 ]"], retries: {{{retries}}}, backoff: 50ms } } ]""";
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", componentExtra: plan);
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var dryRun = await server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test"));
        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "failed" or "succeeded" } r ? r : null, Deadline, "the rollback to finish");

        dryRun.Steps[^1].Description.ShouldEndWith($"(timeout 1m, accept exit 0, {retries} {(retries == 1 ? "retry" : "retries")} from 50ms doubling)");
        done.Status.ShouldBe(status);
        done.Steps[^1].Output.ShouldStartWith(output);
        done.Steps[^1].Attempts.ShouldBe(1); // one recorded run of the step, with its tries inside
    }

    private string Plan(string hooks) => $$$"""
        plan: [
                  { name: maintenance-on, http: { url: "{{{hooks}}}/hooks/maintenance-on", headers: { Authorization: "Bearer {{secret.REWIND_TEST_HOOK_TOKEN}}" } } },
                  { command: { argv: [/bin/echo, "deploying {{target.version}} of {{component}}"] } },
                  { name: functions, batch: { members: { command: ["{{{Fake}}}", --state, "{{{_state}}}", list] }, argv: ["{{{Fake}}}", --state, "{{{_state}}}", rollback, "{{member}}", --to, "{{target.version}}"], concurrency: 2, env: { FAKE_FUNCTIONS_LATENCY_MS: "250" } } },
                  { name: maintenance-off, http: { url: "{{{hooks}}}/hooks/maintenance-off", headers: { Authorization: "Bearer {{secret.REWIND_TEST_HOOK_TOKEN}}" } } }
                ]
        """;

    private async Task<string> Fx(params string[] args)
    {
        var result = await new ProcessRunner().RunAsync(new ProcessRequest([Fake, "--state", _state, .. args], null, TimeSpan.FromSeconds(30)));
        result.Succeeded.ShouldBeTrue(result.Output);
        return result.Output;
    }
}
