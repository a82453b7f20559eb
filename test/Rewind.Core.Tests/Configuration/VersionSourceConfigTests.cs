using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

public sealed class VersionSourceConfigTests
{
    [Fact]
    public void Parse_ProbeSource_BindsAndTellsTheProbeWhichFieldToRead()
    {
        var result = ConfigParser.Parse(Config("version-source: { probe: health, field: build.version, on-drift: record }\n    deploy-grace: 30s"), "r.yaml", "/");

        result.Errors.ShouldBeEmpty();
        var web = result.Config!.Components["web"];
        web.VersionSource!.OnDrift.ShouldBe(DriftMode.Record);
        web.VersionSource.Describe().ShouldBe("probe health field build.version");
        web.Probes["health"].Http!.VersionField.ShouldBe("build.version");
        web.DeployGrace.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Parse_Defaults_PageOnDriftAndAOneMinuteGrace()
    {
        var result = ConfigParser.Parse(Config("version-source: { release-dir: true }"), "r.yaml", "/");

        result.Errors.ShouldBeEmpty();
        var web = result.Config!.Components["web"];
        (web.VersionSource!.OnDrift, web.VersionSource.Interval, web.DeployGrace).ShouldBe((DriftMode.Page, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
        web.Probes["health"].Http!.VersionField.ShouldBeNull();
    }

    [Theory]
    [InlineData("version-source: { release-dir: true, probe: health }", "components.web.version-source: exactly one of release-dir, probe, scrape or command")]
    [InlineData("version-source: { probe: nope }", "components.web.version-source.probe: 'nope' is not an http probe of this component; expected one of: health")]
    [InlineData("version-source: { scrape: app }", "components.web.version-source.scrape: 'app' is not a scrape of this component")]
    [InlineData("version-source: { command: [] }", "components.web.version-source.command: an argv with the program first")]
    [InlineData("version-source: { release-dir: true, on-drift: ignore }", "on-drift")]
    [InlineData("deploy-grace: 0s", "components.web.deploy-grace: must be positive")]
    public void Parse_BadVersionSourceOrGrace_IsReportedWithItsPosition(string yaml, string expected)
    {
        var result = ConfigParser.Parse(Config(yaml), "r.yaml", "/");

        result.Config.ShouldBeNull();
        result.Errors.ShouldContain(e => e.Line >= 13 && e.ToString().StartsWith("r.yaml:", StringComparison.Ordinal) && e.ToString().Contains(expected, StringComparison.Ordinal), string.Join("\n", result.Errors));
    }

    private static string Config(string extra) => $$"""
        store: sqlite:rewind.db
        components:
          web:
            provider:
              release-dir: { path: /srv/web, restart: [systemctl, restart, web] }
            probes:
              health:
                http: { url: "http://127.0.0.1:8080/health" }
            policies: {}
            bake-time: 5m
            healthy-timeout: 1m
            healthy-successes: 3
            {{extra}}
        """;
}
