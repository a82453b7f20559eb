using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Notifications;

namespace Rewind.Core.Tests.Configuration;

public sealed class NotificationConfigTests
{
    private const string Head = """
        components:
          web:
            provider:
              release-dir: { path: /srv/web }
            probes:
              health: { http: { url: "http://127.0.0.1:8080/health" } }
        """;

    private static ConfigResult Parse(string notifications) => ConfigParser.Parse(Head + "\n" + notifications, "rewind.yaml", "/etc/rewind");

    [Fact]
    public void Parse_EveryChannelKind_BindsWithDefaults()
    {
        var result = Parse("""
            notifications:
              channels:
                chat: { slack: { url: "https://hooks.slack.example/T0/B0/x" } }
                pager:
                  webhook: { url: "https://pager.example/rewind", secret-env: PAGER_SECRET }
                  events: [opened, rollback-failed, escalation]
                  min-severity: P1
                  rate-limit: { count: 5, per: 10s }
                mail:
                  email: { smtp-host: 127.0.0.1, smtp-port: 2525, from: rewind@example.org, to: [oncall@example.org], username-env: SMTP_USER, password-env: SMTP_PASSWORD }
                script: { command: { argv: [./notify.sh, --quiet] }, timeout: 3s }
              templates:
                resolved: "{{incident.id}} is over: {{entry.message}}"
            """);

        result.Errors.ShouldBeEmpty();
        var channels = result.Config!.Notifications.Channels;
        channels["chat"].Kind.ShouldBe("slack");
        channels["chat"].Events.ShouldBe(NotificationEvents.All);
        channels["chat"].MinSeverity.ShouldBe(Severity.P3);
        channels["chat"].RateLimit.Count.ShouldBe(30);
        channels["chat"].RateLimit.Per.ShouldBe(TimeSpan.FromMinutes(1));
        channels["pager"].Events.ShouldBe([NotificationEvent.Opened, NotificationEvent.RollbackFailed, NotificationEvent.Escalation]);
        channels["pager"].MinSeverity.ShouldBe(Severity.P1);
        channels["pager"].Webhook!.SecretEnv.ShouldBe("PAGER_SECRET");
        channels["mail"].Email!.SmtpPort.ShouldBe(2525);
        channels["script"].Command!.Argv.ShouldBe(["/etc/rewind/notify.sh", "--quiet"]); // resolved against the config's directory
        channels["script"].Timeout.ShouldBe(TimeSpan.FromSeconds(3));
        result.Config.Notifications.Templates["resolved"].ShouldStartWith("{{incident.id}}");
    }

    [Fact]
    public void Parse_UnknownPlaceholder_IsAnErrorAtTheTemplate()
    {
        var result = Parse("""
            notifications:
              templates:
                opened: "{{incident.id}} opened on {{incident.colour}}"
                rollback-failed: "{{rollback.id}} failed: {{rollback.error}}"
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:9:5: notifications.templates.opened: unknown placeholder {{incident.colour}} for opened; known: event, incident.id, incident.component, incident.severity, incident.status, incident.title, incident.release, incident.policy, incident.opened-at, entry.message, entry.actor, entry.at",
        ]);
    }

    [Fact]
    public void Parse_RollbackPlaceholderOutsideARollbackEvent_IsAnError()
    {
        var result = Parse("""
            notifications:
              templates:
                escalation: "{{rollback.id}}: {{entry.message}}"
                approval: "x"
                resolved: "done {{incident.id"
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:9:5: notifications.templates.escalation: unknown placeholder {{rollback.id}} for escalation; known: event, incident.id, incident.component, incident.severity, incident.status, incident.title, incident.release, incident.policy, incident.opened-at, entry.message, entry.actor, entry.at, escalation.policy, escalation.level, escalation.contacts",
            "rewind.yaml:10:5: notifications.templates.approval: not an event; expected one of: opened, rollback-started, rollback-finished, rollback-failed, approval-needed, escalation, resolved, notice, controller-fault, controller-recovered",
            "rewind.yaml:11:5: notifications.templates.resolved: '{{' at character 6 is never closed with '}}'",
        ]);
    }

    [Fact]
    public void Parse_BadChannels_ReportsEveryFailureWithItsPosition()
    {
        var result = Parse("""
            notifications:
              channels:
                both: { slack: { url: "https://a.example/" }, command: { argv: [notify] } }
                none: { min-severity: P2 }
                hook: { webhook: { url: "ftp://x", secret-env: "my secret" } }
                mail: { email: { smtp-host: "", from: nobody, to: [], username-env: SMTP_USER } }
                pager: { command: { argv: [notify] }, events: [], rate-limit: { count: 0, per: 0s } }
                chat: { slack: { url: "https://a.example/" }, events: [opened, paged] }
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:9:11: notifications.channels.both: declare exactly one kind: slack, webhook, email or command",
            "rewind.yaml:10:11: notifications.channels.none: declare exactly one kind: slack, webhook, email or command",
            "rewind.yaml:11:29: notifications.channels.hook.webhook.url: expected an http:// or https:// URL",
            "rewind.yaml:11:52: notifications.channels.hook.webhook.secret-env: the name of an environment variable holding the signing secret, e.g. REWIND_WEBHOOK_SECRET",
            "rewind.yaml:12:33: notifications.channels.mail.email.smtp-host: required",
            "rewind.yaml:12:43: notifications.channels.mail.email.from: expected an email address",
            "rewind.yaml:12:55: notifications.channels.mail.email.to: at least one address",
            "rewind.yaml:12:73: notifications.channels.mail.email: username-env and password-env go together",
            "rewind.yaml:13:51: notifications.channels.pager.events: empty, and no escalation level pages this channel, so it would receive nothing; leave it out to send every event",
            "rewind.yaml:13:76: notifications.channels.pager.rate-limit.count: at least 1",
            "rewind.yaml:13:84: notifications.channels.pager.rate-limit.per: must be positive",
            "rewind.yaml:14:68: notifications.channels.chat.events[1]: expected one of opened, rollback-started, rollback-finished, rollback-failed, approval-needed, escalation, resolved, notice, controller-fault, controller-recovered, found 'paged'",
        ]);
    }
}
