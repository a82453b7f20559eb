using Rewind.Core.Configuration;
using Rewind.Core.Incidents;

namespace Rewind.Core.Tests.Configuration;

public sealed class EscalationConfigTests
{
    private const string Head = """
        components:
          web:
            provider:
              release-dir: { path: /srv/web }
            probes:
              health: { http: { url: "http://127.0.0.1:8080/health" } }
        notifications:
          channels:
            team: { slack: { url: "https://hooks.slack.example/T0/B0/x" } }
            pager: { webhook: { url: "https://pager.example/rewind", secret-env: PAGER_SECRET }, events: [] }
        """;

    private static ConfigResult Parse(string escalation) => ConfigParser.Parse(Head + "\n" + escalation, "rewind.yaml", "/etc/rewind");

    [Fact]
    public void Parse_Levels_BindWithDefaults()
    {
        var result = Parse("""
            escalation:
              - name: production
                when: { severity: [P0, P1], components: [web] }
                levels:
                  - { after: 0s, contacts: [alice], channels: [team] }
                  - { after: 15m, contacts: [secondary on-call], channels: [pager] }
                  - { after: 30m, if: unresolved, contacts: [engineering manager], channels: [pager, team] }
            """);

        result.Errors.ShouldBeEmpty();
        var policy = result.Config!.Escalation.ShouldHaveSingleItem();
        policy.Name.ShouldBe("production");
        policy.When.Severity.ShouldBe([Severity.P0, Severity.P1]);
        policy.Levels.Select(l => l.After).ShouldBe([TimeSpan.Zero, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30)]);
        policy.Levels.Select(l => l.If).ShouldBe([EscalationCondition.Unacknowledged, EscalationCondition.Unacknowledged, EscalationCondition.Unresolved]);
        policy.Levels[2].Channels.ShouldBe(["pager", "team"]);
    }

    [Fact]
    public void Parse_BadPolicies_ReportEveryFailureWithItsPosition()
    {
        var result = Parse("""
            escalation:
              - name: Prod Team
                when: { components: [api], policies: [nope] }
                levels:
                  - { after: 20m, channels: [sms, pager] }
                  - { after: 10m, if: unseen, contacts: [""] }
                  - { after: 1h }
              - levels: []
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:12:11: escalation[0].name: 'Prod Team' must be unique and lower-case letters, digits, '-', '_' or '.'",
            "rewind.yaml:13:25: escalation[0].when.components: 'api' is not a component",
            "rewind.yaml:13:42: escalation[0].when.policies: 'nope' is not a policy of any component (or manual)",
            "rewind.yaml:15:33: escalation[0].levels[0].channels: 'sms' is not a channel under notifications.channels",
            "rewind.yaml:16:18: escalation[0].levels[1].after: 10m comes before the previous level's 20m; levels go up in time",
            "rewind.yaml:16:27: escalation[0].levels[1].if: expected one of unacknowledged, unresolved, found 'unseen'",
            "rewind.yaml:16:45: escalation[0].levels[1].contacts: empty name",
            "rewind.yaml:17:9: escalation[0].levels[2]: name channels to page, contacts, or both",
            "rewind.yaml:18:13: escalation[1].levels: at least one level",
        ]);
    }

    [Fact]
    public void Parse_ChannelWithNoEventsThatNoLevelPages_IsAnError()
    {
        var result = Parse("escalation: []");

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:10:98: notifications.channels.pager.events: empty, and no escalation level pages this channel, so it would receive nothing; leave it out to send every event",
        ]);
    }

    [Fact]
    public void Parse_ChannelTemplates_CheckedLikeSharedOnes()
    {
        var yaml = Head.Replace(
            "events: [] }",
            "events: [], templates: { escalation: \"L{{escalation.level}} {{escalation.contacts}}\", opened: \"{{escalation.level}}\" } }",
            StringComparison.Ordinal);
        var result = ConfigParser.Parse(yaml + "\nescalation: [ { levels: [ { after: 0s, channels: [pager] } ] } ]", "rewind.yaml", "/etc/rewind");

        result.Errors.ShouldHaveSingleItem().ToString().ShouldStartWith("rewind.yaml:10:176: notifications.channels.pager.templates.opened: unknown placeholder {{escalation.level}} for opened");
        result.Config.ShouldBeNull();
    }
}
