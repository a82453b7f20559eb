using Rewind.TestUtils;

namespace Rewind.Cli.Tests;

public sealed class ConfigCheckTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rewind-cli-").FullName;

    [Fact]
    public async Task Check_UnknownKeyAndWrongType_PrintsBothWithLineAndColumnAndExits2()
    {
        var path = Write("""
            components:
              web:
                provider:
                  release-dir: { path: /srv/web, restart: [systemctl, restart, web] }
                probes:
                  health:
                    http: { url: "http://127.0.0.1:8080/health" }
                    interval: every now and then
                retries: 3
            """);

        var run = await CliRun.RunAsync("config", "check", path);

        run.ExitCode.ShouldBe(2);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldContain($"{path}:8:19: components.web.probes.health.interval: expected a duration such as 500ms, 30s, 5m or 1h, found 'every now and then'", StringComparer.Ordinal);
        lines.ShouldContain(l => l.StartsWith($"{path}:9:5: unknown key 'retries' in components.web;", StringComparison.Ordinal));
        lines[^1].ShouldBe($"2 error(s) in {path}");
    }

    [Fact]
    public async Task Check_ValidFile_SaysOkAndExits0()
    {
        var path = Write("""
            components:
              web:
                provider:
                  release-dir: { path: /srv/web }
                probes:
                  health:
                    http: { url: "http://127.0.0.1:8080/health" }
            """);

        var run = await CliRun.RunAsync("config", "check", path);

        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldContain("ok (1 component(s), 1 probe(s), 0 polic(ies))");
    }

    [Fact]
    public async Task Check_MissingFile_Exits2()
    {
        var run = await CliRun.RunAsync("config", "check", Path.Combine(_directory, "absent.yaml"));

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("absent.yaml:1:1: file not found");
    }

    [Fact]
    public async Task Check_EverySampleConfig_SaysOkAndExits0()
    {
        var samples = Directory.GetFiles(Path.Combine(Repository.Root, "samples", "configs"), "rewind.yaml", SearchOption.AllDirectories);
        samples.Length.ShouldBe(5);

        foreach (var sample in samples)
        {
            var run = await CliRun.RunAsync("config", "check", sample);

            (run.ExitCode, run.Error).ShouldBe((0, ""), sample);
            run.Output.ShouldStartWith($"{sample}: ok (");
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_directory, "rewind.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
