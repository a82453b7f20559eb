using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

/// <summary>Probes that a host's agent runs (<c>host:</c> on a probe): parsed, and checked against the component's hosts.</summary>
public sealed class ProbeHostConfigTests
{
    [Fact]
    public void Parse_ProbeOnAHost_KeepsTheHost_AndTheOtherProbesStayTheControllers()
    {
        var result = ConfigParser.Parse(Config("host: app-1", "hosts: [app-1, app-2]"), "r.yaml", "/");

        result.Errors.ShouldBeEmpty();
        var probes = result.Config!.Components["web"].Probes;
        probes["env"].Host.ShouldBe("app-1");
        probes["env"].Command!.Argv.ShouldBe(["test", "-r", "/etc/shop/shop.env"]);
        probes["health"].Host.ShouldBeNull();
    }

    [Fact]
    public void Parse_ProbeOnAHost_OfAComponentOnTheController_IsValid()
    {
        ConfigParser.Parse(Config("host: cache-1", ""), "r.yaml", "/").Errors.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("host: App_1", "", 14, "components.web.probes.env.host: 'App_1' is not a host name")]
    [InlineData("host: app-9", "hosts: [app-1, app-2]", 14, "components.web.probes.env.host: app-9 is not a host of this fleet; expected one of: app-1, app-2")]
    [InlineData("host: each", "hosts: [app-1, app-2]", 14, "components.web.probes.env.host: each (every host of a fleet) is not supported yet; name one host: one of app-1, app-2")]
    public void Parse_BadProbeHost_IsReportedAtItsPosition(string probeExtra, string componentExtra, int line, string expected)
    {
        var result = ConfigParser.Parse(Config(probeExtra, componentExtra), "r.yaml", "/");

        result.Config.ShouldBeNull();
        var error = result.Errors.ShouldHaveSingleItem();
        error.Message.ShouldStartWith(expected);
        (error.File, error.Line, error.Column).ShouldBe(("r.yaml", line, 15));
    }

    [Fact]
    public void Parse_HostProbeAsTheVersionSource_IsReported()
    {
        var result = ConfigParser.Parse(Config("host: app-1", "version-source: { probe: env }"), "r.yaml", "/");

        result.Errors.ShouldContain(e => e.Message.StartsWith("components.web.version-source.probe: env runs on app-1's agent", StringComparison.Ordinal), string.Join("\n", result.Errors));
    }

    private static string Config(string probeExtra, string componentExtra) => $$"""
        store: sqlite:rewind.db
        components:
          web:
            provider:
              release-dir: { path: /srv/web, restart: [systemctl, restart, web] }
            {{componentExtra}}
            probes:
              health:
                http: { url: "http://127.0.0.1:8080/health" }
              env:
                command: { argv: [test, -r, /etc/shop/shop.env] }
                interval: 5s
                timeout: 2s
                {{probeExtra}}
        """;
}
