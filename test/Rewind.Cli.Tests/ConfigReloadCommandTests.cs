namespace Rewind.Cli.Tests;

/// <summary><c>rewind config reload</c> and the config lines of <c>rewind status</c> against a real controller started from a file.</summary>
public sealed class ConfigReloadCommandTests
{
    [Fact]
    public async Task ConfigReload_UnchangedThenInvalid_SaysSoAndExits2_AndStatusShowsTheErrorAtItsPlace()
    {
        await using var server = await LiveServer.StartAsync(configFile: true);
        var path = Path.Combine(server.Root, "rewind.yaml");

        var unchanged = await CliRun.RunAsync("config", "reload", "--server", server.Url);
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("interval: 200ms", "interval: often", StringComparison.Ordinal));
        var refused = await CliRun.RunAsync("config", "reload", "--server", server.Url);
        var status = await CliRun.RunAsync("status", "--server", server.Url);

        unchanged.ExitCode.ShouldBe(0, unchanged.Error);
        unchanged.Output.ShouldContain("nothing to apply: the running config (version 1) matches the file");
        refused.ExitCode.ShouldBe(2);
        server.Normalize(refused.Error).ShouldBe("""
            <root>/rewind.yaml:10:19: components.web.probes.health.interval: expected a duration such as 500ms, 30s, 5m or 1h, found 'often'
            config refused: 1 error(s); the running config (version 1) stays in force

            """);
        status.ExitCode.ShouldBe(0, status.Error);
        server.Normalize(status.Output).ShouldContain("<root>/rewind.yaml:10:19: components.web.probes.health.interval");
        status.Output.ShouldContain("config: reload refused");
        status.Output.ShouldContain("version 1 stays in force");
    }
}
