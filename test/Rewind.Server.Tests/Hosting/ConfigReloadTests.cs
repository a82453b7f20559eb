using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Hosting;

/// <summary>
/// A controller started from a config file follows the file: a valid change, written in place or by an editor's rename,
/// is in force within 2 s (a new component listed and probed); an invalid one is refused with its positions in the log,
/// the health answer and the audit log while the old config keeps acting; an admin can ask for a reload over the API.
/// </summary>
public sealed class ConfigReloadTests
{
    private static readonly TimeSpan Applied = TimeSpan.FromSeconds(2);

    private const string Api = """
        api:
            provider: { command: { switch: ["true"] } }
            probes:
              health: { http: { url: "http://127.0.0.1:9/health" }, interval: 200ms, timeout: 200ms }
        """;

    [Fact]
    public async Task FileReplacedByRename_NewComponent_IsListedAndProbedWithinTwoSeconds()
    {
        await using var server = await ServerFixture.StartAsync(configFile: true);
        var changed = (await File.ReadAllTextAsync(server.ConfigPath)).TrimEnd() + "\n  " + Api.Replace("\n", "\n  ", StringComparison.Ordinal) + "\n";
        var temporary = server.ConfigPath + ".swp";
        await File.WriteAllTextAsync(temporary, changed);

        File.Move(temporary, server.ConfigPath, overwrite: true); // as editors save: a new file renamed over the old

        await Eventually.WaitAsync(async () => (await server.Client.GetComponentsAsync()).Any(c => c.Name == "api"), Applied, "api listed");
        await Eventually.WaitAsync(async () => (await server.Store.GetRecentSamplesAsync("api", "health", 1)).Count > 0, Applied, "api probed");
        var health = await server.Client.GetHealthAsync();
        health.Config!.Version.ShouldBe(2);
        health.Config.LastReload.ShouldNotBeNull();
        (health.Config.LastReload.Outcome, health.Config.LastReload.Actor).ShouldBe(("applied", "file watch"));
        health.Config.LastReload.Changes.ShouldBe(["component api added"]);
        (await server.Client.GetAuditAsync()).ShouldContain(e => e.Action == "config reload" && e.Result == "applied" && e.Detail == "component api added");
    }

    [Fact]
    public async Task FileWrittenInPlace_Invalid_IsRefusedWithPositions_AndTheOldConfigKeepsActing()
    {
        var log = new LogCapture();
        await using var server = await ServerFixture.StartAsync(configFile: true, options: new RewindServerOptions { MinimumLogLevel = LogLevel.Information, LoggerProviders = [log] });
        var valid = await File.ReadAllTextAsync(server.ConfigPath);

        await File.WriteAllTextAsync(server.ConfigPath, valid.Replace("interval: 200ms", "interval: often", StringComparison.Ordinal));

        var refused = await Eventually.WaitAsync(async () => (await server.Client.GetHealthAsync()).Config?.LastReload is { Outcome: "refused" } r ? r : null, Applied, "the refusal in the health answer");
        var error = refused.Errors.ShouldHaveSingleItem();
        (error.File, error.Line, error.Column).ShouldBe((server.ConfigPath, 14, 19));
        error.Message.ShouldContain("components.web.probes.health.interval");
        log.Lines.ShouldContain(l => l.Contains($"refused (asked by file watch); the running config stays in force:\n{server.ConfigPath}:14:19: components.web.probes.health.interval", StringComparison.Ordinal));
        (await server.Client.GetHealthAsync()).Config!.Version.ShouldBe(1);
        var before = await server.Store.GetRecentSamplesAsync("web", "health", 1);
        await Eventually.WaitAsync(async () => (await server.Store.GetRecentSamplesAsync("web", "health", 1))[0].At > before[0].At, Applied, "web still probed on the old schedule");
        (await server.Client.GetAuditAsync()).ShouldContain(e => e.Action == "config reload" && e.Result == "refused" && e.Detail.Contains(":14:19:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReloadEndpoint_AdminAsks_AnswersWhatChanged_ViewerIsRefused()
    {
        await using var server = await ServerFixture.StartAsync(configFile: true);
        await server.Client.CreateUserAsync(new CreateUserRequest("vera", [Roles.Viewer]));
        using var viewerHttp = server.HttpAs((await server.Client.CreateTokenAsync("vera", new CreateTokenRequest())).Token);
        var unchanged = await server.Client.ReloadConfigAsync();

        var denied = await Should.ThrowAsync<RewindApiException>(() => new RewindClient(viewerHttp).ReloadConfigAsync());

        (unchanged.Outcome, unchanged.Actor, unchanged.Version).ShouldBe(("unchanged", "alice", 1L));
        denied.Status.ShouldBe(403);
        await File.WriteAllTextAsync(server.ConfigPath, (await File.ReadAllTextAsync(server.ConfigPath)).Replace("listen: http://127.0.0.1:0", "listen: http://127.0.0.1:1", StringComparison.Ordinal).Replace("healthy-timeout: 5s", "healthy-timeout: 9s", StringComparison.Ordinal));
        var applied = await server.Client.ReloadConfigAsync(); // or the file watch got there first: then nothing is left to apply

        applied.Outcome.ShouldBeOneOf("applied", "unchanged");
        server.Service<Engine.Hosting.ConfigHolder>().Current.Components["web"].HealthyTimeout.ShouldBe(TimeSpan.FromSeconds(9));
        applied.NeedsRestart.Select(s => s.ToString()).ShouldBe([$"server.listen ({server.ConfigPath}:3:11)"]);
    }
}
