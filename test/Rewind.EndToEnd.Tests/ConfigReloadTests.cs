using System.Globalization;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A real <c>rewind serve</c> reloads its config on SIGHUP: a new component is in force within 2 s, and the process goes
/// on running. The config is reached through a symbolic link whose target lives in another directory, as a config
/// management tool may lay it out: the file watch (on the link's directory) does not see the change, so it is the
/// signal that applies it. Then an invalid file is refused by <c>rewind config reload</c> with its position, and the
/// health answer says so while the old config stays in force.
/// </summary>
public sealed class ConfigReloadTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("rewind-e2e-reload-").FullName;

    [Fact]
    public async Task Sighup_ValidChangeAppliedWithinTwoSeconds_InvalidOneRefusedWithItsPosition()
    {
        var port = SampleRelease.FreeLoopbackPort();
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        var target = Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "managed")).FullName, "rewind.yaml");
        var config = Path.Combine(_root, "rewind.yaml");
        await File.WriteAllTextAsync(target, Config(url, ""));
        File.CreateSymbolicLink(config, target);
        var token = await RewindProcess.InitAccessAsync(config);
        using var rewind = RewindProcess.Start("serve", "--config", config);
        var client = ApiClient.For(new Uri(url + "/"), token);
        await Eventually.WaitAsync(async () => (await client.GetHealthAsync()).Status == "ok", Deadline, "the controller");

        await File.WriteAllTextAsync(target, Config(url, Api));
        rewind.Signal("HUP");

        await Eventually.WaitAsync(async () => (await client.GetComponentsAsync()).Any(c => c.Name == "api"), TimeSpan.FromSeconds(2), "api listed after SIGHUP");
        var reloaded = (await client.GetHealthAsync()).Config!;
        (reloaded.Version, reloaded.LastReload!.Outcome, reloaded.LastReload.Actor).ShouldBe((2L, "applied", "SIGHUP"), rewind.Output);
        rewind.HasExited.ShouldBeFalse();

        await File.WriteAllTextAsync(target, Config(url, Api.Replace("interval: 1s", "interval: often", StringComparison.Ordinal)));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_TOKEN"] = token };
        using var refused = RewindProcess.Start(environment, "config", "reload", "--server", url);
        (await refused.WaitForExitAsync(Deadline)).ShouldBe(2, refused.Output);
        refused.Output.ShouldContain($"{config}:12:");
        refused.Output.ShouldContain("components.api.probes.health.interval");
        refused.Output.ShouldContain("config refused: 1 error(s); the running config (version 2) stays in force");
        var health = (await client.GetHealthAsync()).Config!;
        (health.Version, health.LastReload!.Outcome, health.LastReload.Errors.Count).ShouldBe((2L, "refused", 1));
        (await client.GetComponentsAsync()).Select(c => c.Name).ShouldBe(["api", "web"]);
        rewind.Output.ShouldContain("refused (asked by admin); the running config stays in force");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private const string Api = """
          api:
            provider: { command: { switch: ["true"] } }
            probes:
              health: { http: { url: "http://127.0.0.1:9/health" }, interval: 1s, timeout: 500ms }
        """;

    private static string Config(string url, string more) => string.Create(CultureInfo.InvariantCulture, $$"""
        store: sqlite:rewind.db
        server:
          listen: {{url}}
        components:
          web:
            provider: { command: { switch: ["true"] } }
            probes:
              health: { http: { url: "http://127.0.0.1:9/health" }, interval: 1s, timeout: 500ms }
        {{more}}
        """);
}
