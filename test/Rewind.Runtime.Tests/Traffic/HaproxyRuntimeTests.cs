using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.Runtime.Traffic;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Traffic;

/// <summary>
/// The client against a real HAProxy balancing two real HTTP servers, <c>a</c> (weight 10) and <c>b</c> (weight 20),
/// that answer their own name on <c>/</c>.
/// </summary>
public sealed class HaproxyRuntimeTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly Dictionary<string, LoopbackApp> _apps = new(StringComparer.Ordinal);
    private HaproxyProcess _haproxy = null!;
    private HaproxyRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "a", "b" })
        {
            _apps[name] = await LoopbackApp.StartAsync(app =>
            {
                app.MapGet("/", () => name);
                app.MapGet("/health", () => Results.Ok());
            });
        }

        _haproxy = await HaproxyProcess.StartAsync([("a", Port("a"), 10), ("b", Port("b"), 20)]);
        _runtime = new HaproxyRuntime(_haproxy.AdminSocket);
        await WaitForAsync(servers => servers.All(s => s.Status == HaproxyServerStatus.Up && s.CheckStatus == "L7OK"), "both servers to be up and pass a health check");
    }

    public async Task DisposeAsync()
    {
        if (_haproxy is not null)
        {
            await _haproxy.DisposeAsync();
        }

        foreach (var app in _apps.Values)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetServersAsync_HealthyBackend_ReportsEveryServerUpWithItsWeights()
    {
        var servers = await _runtime.GetServersAsync("app");

        servers.ShouldBe(
        [
            new HaproxyServer("app", "a", "127.0.0.1", Port("a"), HaproxyServerStatus.Up, HaproxyAdminState.None, 10, 10, "L7OK"),
            new HaproxyServer("app", "b", "127.0.0.1", Port("b"), HaproxyServerStatus.Up, HaproxyAdminState.None, 20, 20, "L7OK"),
        ]);
    }

    [Fact]
    public async Task GetServersAsync_OverTcp_ReportsTheSameServers()
    {
        var servers = await new HaproxyRuntime(_haproxy.AdminTcp).GetServersAsync("app");

        servers.Select(s => (s.Name, s.Status)).ShouldBe([("a", HaproxyServerStatus.Up), ("b", HaproxyServerStatus.Up)]);
    }

    [Fact]
    public async Task SetWeightAsync_NewWeight_IsReadBackAsTheCurrentWeight()
    {
        await _runtime.SetWeightAsync("app", "a", 7);

        var a = (await _runtime.GetServersAsync("app")).Single(s => s.Name == "a");
        (a.Weight, a.InitialWeight).ShouldBe((7, 10));
    }

    [Fact]
    public async Task SetWeightAsync_ZeroOnA_SendsEveryRequestThroughTheFrontendToB()
    {
        string.Join(",", (await _haproxy.AnswersAsync(12)).Distinct().Order()).ShouldBe("a,b", "with both weights above zero both servers answer");

        await _runtime.SetWeightAsync("app", "a", 0);

        (await _haproxy.AnswersAsync(30)).ShouldAllBe(name => name == "b");
    }

    [Fact]
    public async Task SetStateAsync_Maint_IsReportedAndReadyBringsTheServerBack()
    {
        await _runtime.SetStateAsync("app", "a", HaproxyAdminMode.Maint);

        var a = (await _runtime.GetServersAsync("app")).Single(s => s.Name == "a");
        (a.Status, a.Admin).ShouldBe((HaproxyServerStatus.Maint, HaproxyAdminState.ForcedMaint));

        await _runtime.SetStateAsync("app", "a", HaproxyAdminMode.Ready);

        await WaitForAsync(servers => servers.Single(s => s.Name == "a").Status == HaproxyServerStatus.Up, "a to be up after leaving maintenance");
    }

    [Fact]
    public async Task SetStateAsync_Drain_IsReportedAsDrain()
    {
        await _runtime.SetStateAsync("app", "b", HaproxyAdminMode.Drain);

        var b = (await _runtime.GetServersAsync("app")).Single(s => s.Name == "b");
        (b.Status, b.Admin).ShouldBe((HaproxyServerStatus.Drain, HaproxyAdminState.ForcedDrain));
    }

    [Fact]
    public async Task GetServersAsync_ServerWhoseHttpServerStopped_IsReportedDownAfterItsChecks()
    {
        await _apps["b"].DisposeAsync();
        _apps.Remove("b");

        var servers = await WaitForAsync(s => s.Single(s => s.Name == "b").Status == HaproxyServerStatus.Down, "b to be reported down");

        servers.Single(s => s.Name == "b").CheckStatus.ShouldBe("L4CON");
        servers.Single(s => s.Name == "a").Status.ShouldBe(HaproxyServerStatus.Up);
    }

    [Fact]
    public async Task SetWeightAsync_UnknownServer_ThrowsWithHaproxysAnswer()
    {
        var error = await Should.ThrowAsync<HaproxyRuntimeException>(() => _runtime.SetWeightAsync("app", "nope", 5));

        (error.Answer, error.Command, error.IsTransient).ShouldBe(("No such server.", "set server app/nope weight 5", false));
        error.Message.ShouldContain("No such server.");
    }

    [Fact]
    public async Task GetServersAsync_UnknownBackend_ThrowsWithHaproxysAnswer()
    {
        var error = await Should.ThrowAsync<HaproxyRuntimeException>(() => _runtime.GetServersAsync("nope"));

        error.Answer.ShouldBe("Can't find backend.");
    }

    [Fact]
    public async Task SetStateAsync_OnAUserLevelSocket_ThrowsPermissionDenied()
    {
        var readOnly = new HaproxyRuntime(_haproxy.UserSocket);

        var error = await Should.ThrowAsync<HaproxyRuntimeException>(() => readOnly.SetStateAsync("app", "a", HaproxyAdminMode.Maint));

        error.Answer.ShouldBe("Permission denied");
        (await _runtime.GetServersAsync("app")).Single(s => s.Name == "a").Status.ShouldBe(HaproxyServerStatus.Up);
    }

    private int Port(string name) => new Uri(_apps[name].BaseUrl).Port;

    private Task<IReadOnlyList<HaproxyServer>> WaitForAsync(Func<IReadOnlyList<HaproxyServer>, bool> condition, string what) =>
        Eventually.WaitAsync<IReadOnlyList<HaproxyServer>>(
            async () => await _runtime.GetServersAsync("app") is var servers && condition(servers) ? servers : null,
            Deadline,
            what);
}
