using Rewind.Core.Incidents;
using Rewind.Core.Notifications;

namespace Rewind.Core.Tests.Notifications;

public sealed class NotificationTemplateTests
{
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

        template.Render(Values).ShouldBe("web: INC-2026-03-14-0001 } {not a placeholder}");
    }

    [Fact]
    public void Render_MissingValue_RendersAsDash()
    {
        var template = NotificationTemplate.Parse("{{rollback.id}} error: {{rollback.error}}; release {{incident.release}}", NotificationEvent.RollbackFailed);

        template.Render(Values).ShouldBe("RB-2026-03-14-0001 error: -; release -");
    }

    [Fact]
    public void TryParse_TextWithoutPlaceholders_RendersAsIs()
    {
        NotificationTemplate.TryParse("all quiet", NotificationEvent.Resolved, out var template, out _).ShouldBeTrue();

        template.Render(Values).ShouldBe("all quiet");
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
        foreach (var kind in NotificationEvents.All)
        {
            var text = NotificationTemplate.Parse(DefaultTemplates.For(kind), kind).Render(Values);

            text.Split('\n')[0].ShouldContain("web");
            text.ShouldContain("rewind ");
        }
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
