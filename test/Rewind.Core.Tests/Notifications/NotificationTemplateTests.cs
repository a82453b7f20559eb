using Rewind.Core.Incidents;
using Rewind.Core.Notifications;
using Rewind.TestUtils;

namespace Rewind.Core.Tests.Notifications;

public sealed class NotificationTemplateTests
{
    private static readonly string Project = Repository.TestProject("Rewind.Core.Tests");

    /// <summary>A failed rollback whose every outside value is hostile: a reason, a name, a version and a health body.</summary>
    private static readonly Dictionary<string, string?> Hostile = new(StringComparer.Ordinal)
    {
        ["incident.id"] = "INC-2026-03-14-0001",
        ["incident.component"] = "web",
        ["incident.severity"] = "P1",
        ["incident.title"] = "web: manual rollback requested by <@U024BE7LH>: <!channel> <http://evil.example/ack|Click here to acknowledge> & more",
        ["rollback.id"] = "RB-2026-03-14-0001",
        ["rollback.from"] = "v2`<!here>`",
        ["rollback.to"] = "v1",
        ["rollback.error"] = "step 3 (http) failed: POST http://web/drain: status 500\n" + "line1\n[P1] ESCALATION forged\n" + new string('x', 10_000),
    };

    private static readonly Dictionary<string, string?> Values = new(StringComparer.Ordinal)
    {
        ["incident.id"] = "INC-2026-03-14-0001",
        ["incident.component"] = "web",
        ["rollback.id"] = "RB-2026-03-14-0001",
        ["rollback.error"] = null,
    };

    [Fact]
    public void Render_Placeholders_AreReplacedAndTheRestKept()
    {
        var template = NotificationTemplate.Parse("{{incident.component}}: {{ incident.id }} } {not a placeholder}", NotificationEvent.Opened);

        template.Render(Values, TextMarkup.Plain).ShouldBe("web: INC-2026-03-14-0001 } {not a placeholder}");
    }

    [Fact]
    public void Render_MissingValue_RendersAsDash()
    {
        var template = NotificationTemplate.Parse("{{rollback.id}} error: {{rollback.error}}; release {{incident.release}}", NotificationEvent.RollbackFailed);

        template.Render(Values, TextMarkup.Plain).ShouldBe("RB-2026-03-14-0001 error: -; release -");
    }

    [Fact]
    public void Render_Slack_TemplateTextAsWrittenAndValuesEscaped()
    {
        var template = NotificationTemplate.Parse("<!here> *{{incident.component}}* ({{rollback.from}} -> {{rollback.to}}): {{incident.title}}", NotificationEvent.RollbackFailed);

        var text = template.Render(Hostile, TextMarkup.Slack);

        text.ShouldStartWith("<!here> *web* (`v2ˋ&lt;!here&gt;ˋ` -> v1): `web: manual rollback requested by &lt;＠U024BE7LH&gt;: &lt;!channel&gt; ");
        text.ShouldEndWith("&lt;http://evil.example/ack|Click here to acknowledge&gt; &amp; more`");
    }

    [Fact]
    public void Render_Plain_OutsideValuesQuotedOnOneLineOwnValuesAsTheyAre()
    {
        var template = NotificationTemplate.Parse("{{incident.component}} {{rollback.to}}\nError: {{rollback.error}}", NotificationEvent.RollbackFailed);

        var lines = template.Render(Hostile, TextMarkup.Plain).Split('\n');

        lines.Length.ShouldBe(2);
        lines[0].ShouldBe("web v1");
        lines[1].ShouldStartWith("Error: \"step 3 (http) failed: POST http://web/drain: status 500\\nline1\\n[P1] ESCALATION forged\\nxxx");
        lines[1].ShouldEndWith("x\"… (9,785 more characters)");
    }

    [Theory]
    [InlineData("incident.title", true)]
    [InlineData("incident.release", true)]
    [InlineData("entry.message", true)]
    [InlineData("entry.actor", true)]
    [InlineData("rollback.from", true)]
    [InlineData("rollback.to", true)]
    [InlineData("rollback.requested-by", true)]
    [InlineData("rollback.error", true)]
    [InlineData("incident.id", false)]
    [InlineData("incident.component", false)]
    [InlineData("escalation.contacts", false)]
    public void IsOutside_Placeholder_TrueForTextRewindDidNotWrite(string placeholder, bool expected)
    {
        NotificationTemplate.IsOutside(placeholder).ShouldBe(expected);
    }

    [Fact]
    public void DefaultRollbackFailed_HostileValues_IsTheApprovedSlackText()
    {
        var template = NotificationTemplate.Parse(DefaultTemplates.For(NotificationEvent.RollbackFailed), NotificationEvent.RollbackFailed);

        Approved.Verify("notification-rollback-failed-slack", template.Render(Hostile, TextMarkup.Slack), Project);
    }

    [Fact]
    public void DefaultRollbackFailed_HostileValues_IsTheApprovedPlainText()
    {
        var template = NotificationTemplate.Parse(DefaultTemplates.For(NotificationEvent.RollbackFailed), NotificationEvent.RollbackFailed);

        Approved.Verify("notification-rollback-failed-plain", template.Render(Hostile, TextMarkup.Plain), Project);
    }

    [Fact]
    public void TryParse_TextWithoutPlaceholders_RendersAsIs()
    {
        NotificationTemplate.TryParse("all quiet", NotificationEvent.Resolved, out var template, out _).ShouldBeTrue();

        template.Render(Values, TextMarkup.Plain).ShouldBe("all quiet");
    }

    [Theory]
    [InlineData("{{incident.colour}}", NotificationEvent.Opened, "unknown placeholder {{incident.colour}} for opened; known: ")]
    [InlineData("{{rollback.to}}", NotificationEvent.Escalation, "unknown placeholder {{rollback.to}} for escalation; known: ")]
    [InlineData("{{}}", NotificationEvent.Opened, "unknown placeholder {{}} for opened")]
    [InlineData("a {{incident.id", NotificationEvent.Opened, "'{{' at character 3 is never closed with '}}'")]
    public void TryParse_BadTemplate_SaysWhatIsWrong(string text, NotificationEvent kind, string error)
    {
        NotificationTemplate.TryParse(text, kind, out _, out var message).ShouldBeFalse();

        message.ShouldStartWith(error);
    }

    [Fact]
    public void DefaultTemplates_EveryEvent_ParseAndSayWhatWhereAndWhatNext()
    {
        foreach (var kind in NotificationEvents.All.Where(k => !NotificationEvents.IsController(k)))
        {
            var text = NotificationTemplate.Parse(DefaultTemplates.For(kind), kind).Render(Values, TextMarkup.Plain);

            text.Split('\n')[0].ShouldContain("web");
            text.ShouldContain("rewind ");
        }
    }

    [Theory]
    [InlineData(NotificationEvent.ControllerFault, "[P1] REWIND ITSELF on ctl-1: store-unreachable")]
    [InlineData(NotificationEvent.ControllerRecovered, "[P1] Rewind on ctl-1: store-unreachable is over after 2m")]
    public void DefaultTemplates_ControllerEvents_NameTheFaultAndTheHost_AndWhereToLook(NotificationEvent kind, string firstLine)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["fault.kind"] = "store-unreachable",
            ["fault.severity"] = "P1",
            ["fault.message"] = "the postgres store does not answer: connection refused",
            ["fault.since"] = "2026-12-06T03:00:00Z",
            ["fault.duration"] = "2m",
            ["controller.host"] = "ctl-1",
            ["controller.store"] = "postgres",
        };

        var text = NotificationTemplate.Parse(DefaultTemplates.For(kind), kind).Render(values, TextMarkup.Plain);

        text.Split('\n')[0].ShouldBe(firstLine);
        text.ShouldContain("\"the postgres store does not answer: connection refused\""); // quoted: it carries a driver's words
        text.ShouldContain("/api/v1/health");
        NotificationTemplate.TryParse("{{incident.id}}", kind, out _, out var error).ShouldBeFalse(); // no incident behind it
        error.ShouldContain("unknown placeholder");
    }

    [Theory]
    [InlineData(TimelineKinds.Opened, null, NotificationEvent.Opened)]
    [InlineData(TimelineKinds.Escalation, null, NotificationEvent.Escalation)]
    [InlineData(TimelineKinds.Resolved, null, NotificationEvent.Resolved)]
    [InlineData(TimelineKinds.Rollback, TimelineMilestones.RollbackStarted, NotificationEvent.RollbackStarted)]
    [InlineData(TimelineKinds.Rollback, TimelineMilestones.RollbackFinished, NotificationEvent.RollbackFinished)]
    [InlineData(TimelineKinds.Escalation, TimelineMilestones.RollbackFailed, NotificationEvent.RollbackFailed)]
    [InlineData(TimelineKinds.Decision, TimelineMilestones.ApprovalNeeded, NotificationEvent.ApprovalNeeded)]
    [InlineData(TimelineKinds.Decision, null, null)]
    [InlineData(TimelineKinds.Rollback, null, null)]
    [InlineData(TimelineKinds.Evidence, null, null)]
    [InlineData(TimelineKinds.Step, null, null)]
    public void Of_TimelineEntry_MapsKindAndMilestone(string kind, string? milestone, NotificationEvent? expected)
    {
        var entry = new TimelineEvent("INC-2026-03-14-0001", DateTimeOffset.UnixEpoch, kind, "m", "executor", milestone);

        NotificationEvents.Of(entry).ShouldBe(expected);
    }
}
