using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

public sealed class StatusPageConfigTests
{
    private const string Head = """
        components:
          web:
            provider:
              release-dir: { path: /srv/web }
            probes:
              health: { http: { url: "http://127.0.0.1:8080/health" } }
        """;

    private static ConfigResult Parse(string statusPage) => ConfigParser.Parse(Head + "\n" + statusPage, "rewind.yaml", "/etc/rewind");

    [Fact]
    public void Parse_NoStatusPage_KeepsTheDefaults()
    {
        var result = Parse("");

        result.Errors.ShouldBeEmpty();
        result.Config!.StatusPage.Title.ShouldBe("Service status");
        result.Config.StatusPage.Components.ShouldBeEmpty();
        result.Config.StatusPage.Messages.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_EveryKey_Binds()
    {
        var result = Parse("""
            status-page:
              title: Example status
              components:
                web: { public-name: Website, hidden: true }
              messages:
                P0: "{component} is down. We are on it."
                maintenance: "{component} is being upgraded."
            """);

        result.Errors.ShouldBeEmpty();
        var page = result.Config!.StatusPage;
        page.Title.ShouldBe("Example status");
        page.Components["web"].PublicName.ShouldBe("Website");
        page.Components["web"].Hidden.ShouldBeTrue();
        page.Messages["P0"].ShouldBe("{component} is down. We are on it.");
        page.Messages["maintenance"].ShouldBe("{component} is being upgraded.");
    }

    [Fact]
    public void Parse_BadStatusPage_ReportsEveryFailureWithItsPosition()
    {
        var result = Parse("""
            status-page:
              title: ""
              components:
                api: { public-name: API }
                web: { public-name: " " }
              messages:
                P4: "x"
                P1: ""
                P2: "{component} is slow for {region}"
              colour: blue
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:16:3: unknown key 'colour' in status-page; expected one of: components, messages, title",
            "rewind.yaml:8:10: status-page.title: required, at most 200 characters",
            "rewind.yaml:10:5: status-page.components.api: 'api' is not a component; expected one of: web",
            "rewind.yaml:11:25: status-page.components.web.public-name: not empty, at most 200 characters; leave it out to show web",
            "rewind.yaml:13:5: status-page.messages.P4: not a severity or maintenance; expected one of: P0, P1, P2, P3, maintenance",
            "rewind.yaml:14:5: status-page.messages.P1: empty; leave it out to keep the default message",
            "rewind.yaml:15:5: status-page.messages.P2: the only placeholder is {component}",
        ], ignoreOrder: true);
    }
}
