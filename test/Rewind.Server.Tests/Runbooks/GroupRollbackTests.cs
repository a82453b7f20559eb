using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Releases;
using Rewind.Core.Storage;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>A group of three real release-dir components rolled back in dependency order by a real controller.</summary>
public sealed class GroupRollbackTests : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string[] Members = ["db", "api", "web"];
    private readonly string _root = Directory.CreateTempSubdirectory("rewind-group-").FullName;
    private WebApplication? _app;
    private HttpClient? _http;

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Group_RollsBackInTheDeclaredOrder_EachAfterTheOneBeforeSucceeded()
    {
        var client = await StartAsync(apiFails: false);

        var plan = await client.DryRunGroupRollbackAsync("shop", new GroupRollbackRequest("bad deploy"));
        var accepted = await client.RequestGroupRollbackAsync("shop", new GroupRollbackRequest("bad deploy"));
        var done = await WaitAllFinishedAsync(client, accepted);

        plan.Plans.Select(p => (p.Component, p.FromVersion, p.ToVersion)).ShouldBe([("db", "v2", "v1"), ("api", "v2", "v1"), ("web", "v2", "v1")]);
        done.Select(r => (r.Component, r.Status)).ShouldBe([("db", "succeeded"), ("api", "succeeded"), ("web", "succeeded")]);
        done[1].StartedAt!.Value.ShouldBeGreaterThanOrEqualTo(done[0].FinishedAt!.Value); // api only after db
        done[2].StartedAt!.Value.ShouldBeGreaterThanOrEqualTo(done[1].FinishedAt!.Value);
        Members.ShouldAllBe(m => Current(m).EndsWith(Path.Combine("releases", "v1"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Group_AMemberFails_StopsTheRestUntouchedAndSaysWhich()
    {
        var client = await StartAsync(apiFails: true);

        var accepted = await client.RequestGroupRollbackAsync("shop", new GroupRollbackRequest("bad deploy"));
        var done = await WaitAllFinishedAsync(client, accepted);

        done.Select(r => (r.Component, r.Status)).ShouldBe([("db", "succeeded"), ("api", "failed"), ("web", "cancelled")]);
        done[2].Error.ShouldBe($"not run: {done[1].Id} (api), before it in group shop, ended failed; web was not touched");
        done[2].Steps.ShouldAllBe(s => s.Status == "pending");
        Current("web").ShouldEndWith(Path.Combine("releases", "v2"));
        (await client.GetIncidentAsync(done[2].IncidentId!)).Timeline.ShouldContain(e => e.Kind == "escalation" && e.Message.StartsWith($"{done[2].Id} not run: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Group_AMemberWithoutAKnownGoodRelease_RefusesTheWholeGroupTouchingNothing()
    {
        var client = await StartAsync(apiFails: false, webStable: false);

        var refused = await Should.ThrowAsync<RewindApiException>(() => client.RequestGroupRollbackAsync("shop", new GroupRollbackRequest("bad deploy")));

        (refused.Status, refused.Title).ShouldBe((409, "rollback refused"));
        refused.Detail.ShouldBe("group shop cannot roll back: web has no known-good release to roll back to (none other than v2 became stable); nothing was touched");
        (await client.GetRollbacksAsync()).ShouldBeEmpty();
        (await Should.ThrowAsync<RewindApiException>(() => client.RequestGroupRollbackAsync("nope", new GroupRollbackRequest("x")))).Status.ShouldBe(404);
    }

    private async Task<RewindClient> StartAsync(bool apiFails, bool webStable = true)
    {
        var components = string.Join("\n", Members.Select(m =>
        {
            Directory.CreateDirectory(Path.Combine(_root, m, "releases", "v1"));
            Directory.CreateDirectory(Path.Combine(_root, m, "releases", "v2"));

            File.CreateSymbolicLink(Path.Combine(_root, m, "current"), Path.Combine("releases", "v2"));
            var plan = m == "api" && apiFails ? "[ { switch: {} }, { command: { argv: [\"false\"] } } ]" : "[ { switch: {} }, { command: { argv: [sleep, \"0.3\"] } } ]";
            return $$"""
                  {{m}}:
                    provider: { release-dir: { path: {{m}} } }
                    probes: { health: { tcp: { host: 127.0.0.1, port: 9 }, interval: 1s, timeout: 100ms } }
                    plan: {{plan}}
                """;
        }));
        var yaml = string.Create(CultureInfo.InvariantCulture, $$"""
            store: "sqlite:rewind.db"
            server: { listen: "http://127.0.0.1:0" }
            components:
            {{components}}
            groups:
              shop: { components: [db, api, web] }
            """);
        var parsed = ConfigParser.Parse(yaml, "rewind.yaml", _root);
        parsed.Errors.ShouldBeEmpty();
        _app = await RewindServer.CreateAsync(parsed.Config!, new RewindServerOptions { MinimumLogLevel = LogLevel.Warning });
        var token = await Access.AccessBootstrap.AdminTokenAsync(_app.Services, "alice", "test");
        var store = _app.Services.GetRequiredService<IStore>();
        foreach (var m in Members)
        {
            await store.RecordReleaseAsync(new Release(m, "v1", ReleaseState.Baking, TimeProvider.System.GetUtcNow().AddMinutes(-10), null, null, "ci"));
            if (m != "web" || webStable)
            {
                await store.SetReleaseStateAsync(m, "v1", ReleaseState.Stable, TimeProvider.System.GetUtcNow().AddMinutes(-5));
            }

            await store.RecordReleaseAsync(new Release(m, "v2", ReleaseState.Baking, TimeProvider.System.GetUtcNow(), null, null, "ci"));
            await store.SetCurrentReleaseAsync(m, "v2", TimeProvider.System.GetUtcNow());
        }

        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address + "/") };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return new RewindClient(_http);
    }

    private static async Task<List<RollbackDto>> WaitAllFinishedAsync(RewindClient client, GroupRollbackDto accepted) =>
        await Eventually.WaitAsync(
            async () =>
            {
                var now = new List<RollbackDto>();
                foreach (var member in accepted.Rollbacks)
                {
                    now.Add(await client.GetRollbackAsync(member.Id));
                }

                return now.All(r => r.Status is "succeeded" or "failed" or "cancelled") ? now : null;
            },
            Deadline,
            "every member to finish");

    private string Current(string component) => File.ResolveLinkTarget(Path.Combine(_root, component, "current"), returnFinalTarget: false)!.FullName;
}
