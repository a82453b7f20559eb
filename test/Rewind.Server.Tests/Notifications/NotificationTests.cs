using Microsoft.Extensions.DependencyInjection;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Engine;
using Rewind.Server.Tests.Api;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Notifications;

/// <summary>Notifications through a real controller to real receivers on loopback: nothing lost, nothing doubled.</summary>
public sealed class NotificationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Webhook_ReceiverDownThenUp_GetsEveryMessageExactlyOnceInOrder()
    {
        var (secretEnv, secret) = Secret();
        await using var receiver = WebhookReceiver.Down(secret);
        await using var server = await ServerFixture.StartAsync(extra: Channels($"hook: {{ webhook: {{ url: \"{receiver.Url}\", secret-env: {secretEnv} }} }}"));
        var incidents = new List<string>();
        foreach (var component in new[] { "web", "api", "worker" })
        {
            incidents.Add((await server.Store.OpenIncidentAsync(component, Severity.P1, $"{component} down", null, "v2", TimeProvider.System.GetUtcNow(), "test")).Id);
        }

        var failing = await Eventually.WaitAsync(
            async () => await server.Client.GetNotificationsAsync("pending") is { Count: 3 } pending && pending.Any(n => n.Attempts > 0 && n.LastError is not null) ? pending : null,
            Deadline,
            "the first attempt to fail");
        failing.First(n => n.Attempts > 0 && n.LastError is not null).LastError.ShouldBe("connection refused");
        await receiver.StartAsync();
        await Eventually.WaitAsync(async () => (await server.Client.GetNotificationsAsync("sent")).Count == 3, Deadline, "every message to be sent");

        var deliveries = receiver.Deliveries;
        deliveries.Count.ShouldBe(3); // no repeats in the normal case
        deliveries.Select(d => d.Id).ShouldBe(failing.Select(n => n.DeliveryId).Reverse()); // by delivery ID, each exactly once, oldest first
        deliveries.Select(d => d.Body.GetProperty("incident").GetProperty("id").GetString()).ShouldBe(incidents);
        deliveries.ShouldAllBe(d => d.SignatureValid && d.Event == "opened");
        deliveries[0].Body.GetProperty("text").GetString()!.ShouldStartWith($"[P1] web: incident {incidents[0]} opened\n\"web down\"\nRelease serving: v2");
        (await server.Client.GetNotificationsAsync("pending")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ManualRollbackThatFails_EachEventOnceToEachChannelThatWantsIt()
    {
        var (secretEnv, secret) = Secret();
        await using var receiver = await WebhookReceiver.UpAsync(secret);
        await using var chat = await WebhookReceiver.UpAsync(secret); // a Slack-compatible endpoint only reads "text"
        await using var server = await ServerFixture.StartAsync(extra: Channels(
            $"hook: {{ webhook: {{ url: \"{receiver.Url}\", secret-env: {secretEnv} }} }}",
            $"chat: {{ slack: {{ url: \"{chat.Url}\" }}, events: [rollback-failed] }}",
            $"major: {{ slack: {{ url: \"{chat.Url}\" }}, min-severity: P1 }}"));
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors", RequestedBy: "alice"));
        await Eventually.WaitAsync(async () => (await server.Client.GetNotificationsAsync("sent")).Count == 4, Deadline, "opened, started and failed to the hook and failed to chat");

        var deliveries = receiver.Deliveries;
        deliveries.Select(d => d.Event).ShouldBe(["opened", "rollback-started", "rollback-failed"]);
        deliveries.Select(d => d.Id).Distinct().Count().ShouldBe(3);
        deliveries.ShouldAllBe(d => d.SignatureValid);
        var failed = deliveries[2].Body;
        failed.GetProperty("rollback").GetProperty("id").GetString().ShouldBe(rollback.Id);
        failed.GetProperty("rollback").GetProperty("error").GetString()!.ShouldContain("step 3 (wait-healthy) failed");
        failed.GetProperty("incident").GetProperty("severity").GetString().ShouldBe("P2");
        failed.GetProperty("text").GetString()!.ShouldStartWith($"[P2] web: ROLLBACK FAILED {rollback.Id} (v2 -> v1)");
        deliveries[1].Body.GetProperty("text").GetString()!.ShouldContain("Requested by alice.");
        chat.Deliveries.ShouldHaveSingleItem().Body.GetProperty("text").GetString()!.ShouldStartWith($"[P2] web: ROLLBACK FAILED {rollback.Id}");
        (await server.Client.GetNotificationsAsync()).ShouldNotContain(n => n.Channel == "major"); // a P2 incident is below P1
    }

    [Fact]
    public async Task HostileReason_ReachesEachReceiverEscapedForItsChannelOnly()
    {
        var (secretEnv, secret) = Secret();
        await using var chat = await WebhookReceiver.UpAsync(secret); // a Slack-compatible endpoint only reads "text"
        await using var hook = await WebhookReceiver.UpAsync(secret);
        await using var smtp = await SmtpSink.StartAsync();
        await using var server = await ServerFixture.StartAsync(extra: Channels(
            $"chat: {{ slack: {{ url: \"{chat.Url}\" }}, events: [opened, rollback-started], templates: {{ opened: \"<!here> *{{{{incident.id}}}}* opened\\n{{{{incident.title}}}}\" }} }}",
            $"hook: {{ webhook: {{ url: \"{hook.Url}\", secret-env: {secretEnv} }}, events: [opened, rollback-started] }}",
            $"mail: {{ email: {{ smtp-host: 127.0.0.1, smtp-port: {smtp.Port}, from: rewind@example.org, to: [oncall@example.org] }}, events: [opened], templates: {{ opened: \"{{{{incident.title}}}}\\nIncident {{{{incident.id}}}}\" }} }}"));
        await RollbackEndpointsTests.StableV1ThenV2Async(server);
        const string Reason = "<!channel> <http://evil.example/ack|Click here to acknowledge> & co\n[P1] ESCALATION forged ";
        var padding = new string('x', 1_000);

        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", Reason + padding));
        await Eventually.WaitAsync(async () => (await server.Client.GetNotificationsAsync("sent")).Count == 5, Deadline, "opened and started to chat and hook, opened by email");

        var title = (await server.Client.GetIncidentsAsync()).ShouldHaveSingleItem().Title;
        var omitted = $"… ({title.Length - 300:N0} more characters)";
        var shownPadding = padding[..(300 - $"web: manual rollback requested by alice: {Reason}".Length)];
        title.ShouldStartWith("web: manual rollback requested by alice: <!channel>"); // the record keeps what was typed
        var slack = chat.Deliveries.Select(d => d.Body.GetProperty("text").GetString()!).ToList();
        slack.Count.ShouldBe(2);
        slack[0].ShouldStartWith("<!here> *INC-"); // the operator's own markup in the template is sent as written
        slack[0].Split('\n')[1].ShouldBe(
            "`web: manual rollback requested by alice: &lt;!channel&gt; &lt;http://evil.example/ack|Click here to acknowledge&gt; &amp; co\\n[P1] ESCALATION forged "
            + shownPadding + "`" + omitted);
        slack[1].ShouldContain("Requested by alice."); // a plain word needs no quotes
        slack.ShouldAllBe(text => !text.Contains("<!channel>") && !text.Contains("<http") && !text.Contains("<@"));
        slack.SelectMany(text => text.Split('\n')).ShouldNotContain(line => line.StartsWith("[P1] ESCALATION", StringComparison.Ordinal));

        var opened = hook.Deliveries[0].Body;
        opened.GetProperty("text").GetString()!.Split('\n')[1].ShouldBe(
            "\"web: manual rollback requested by alice: <!channel> <http://evil.example/ack|Click here to acknowledge> & co\\n[P1] ESCALATION forged "
            + shownPadding + "\"" + omitted);
        opened.GetProperty("incident").GetProperty("title").GetString().ShouldBe(
            "web: manual rollback requested by alice: <!channel> <http://evil.example/ack|Click here to acknowledge> & co\\n[P1] ESCALATION forged "
            + shownPadding + omitted);
        hook.Deliveries[1].Body.GetProperty("rollback").GetProperty("id").GetString().ShouldBe(rollback.Id);

        var mail = smtp.Messages().ShouldHaveSingleItem();
        mail.GetProperty("subject").GetString()!.ShouldStartWith("\"web: manual rollback requested by alice: <!channel> ");
        mail.GetProperty("subject").GetString()!.ShouldEndWith(omitted);
        mail.GetProperty("to").EnumerateArray().Select(e => e.GetString()).ShouldBe(["oncall@example.org"]);
    }

    [Fact]
    public async Task RateLimit_MoreMessagesThanAllowed_AreDelayedNotDropped()
    {
        var (secretEnv, secret) = Secret();
        await using var receiver = await WebhookReceiver.UpAsync(secret);
        await using var server = await ServerFixture.StartAsync(extra: Channels(
            $"hook: {{ webhook: {{ url: \"{receiver.Url}\", secret-env: {secretEnv} }}, rate-limit: {{ count: 2, per: 2s }} }}"));

        var opened = receiver.Elapsed; // no message exists before this, so none can be sent before it
        for (var i = 0; i < 5; i++)
        {
            await server.Store.OpenIncidentAsync($"c{i}", Severity.P2, $"c{i} slow", null, null, TimeProvider.System.GetUtcNow(), "test");
        }

        await Eventually.WaitAsync(() => Task.FromResult(receiver.Deliveries.Count >= 5), Deadline, "all five messages");

        var deliveries = receiver.Deliveries;
        deliveries.Count.ShouldBe(5);
        deliveries.Select(d => d.Id).Distinct().Count().ShouldBe(5);
        deliveries.Select(d => d.Body.GetProperty("incident").GetProperty("component").GetString()).ShouldBe(["c0", "c1", "c2", "c3", "c4"]);
        // Two per 2 s: the third is sent at least 2 s after the first, the fifth 4 s. Measured from before the first could
        // be sent (not from the first's arrival, which a loaded host delays), so a slow host cannot break it.
        (deliveries[2].ArrivedAfter - opened).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2));
        (deliveries[4].ArrivedAfter - opened).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Restart_WithMessagesPending_TheNextControllerSendsThemExactlyOnce()
    {
        var (secretEnv, secret) = Secret();
        var storeDirectory = Directory.CreateTempSubdirectory("rewind-notify-store-").FullName;
        try
        {
            var store = $"sqlite:{storeDirectory}/rewind.db";
            await using var receiver = await WebhookReceiver.UpAsync(secret);
            receiver.Failing = true;
            var channels = Channels($"hook: {{ webhook: {{ url: \"{receiver.Url}\", secret-env: {secretEnv} }} }}");
            IReadOnlyList<NotificationDto> pending;
            await using (var first = await ServerFixture.StartAsync(store: store, extra: channels))
            {
                foreach (var component in new[] { "web", "api", "worker" })
                {
                    await first.Store.OpenIncidentAsync(component, Severity.P0, $"{component} down", null, null, TimeProvider.System.GetUtcNow(), "test");
                }

                pending = await Eventually.WaitAsync(
                    async () => await first.Client.GetNotificationsAsync("pending") is { Count: 3 } p && p.Any(n => n.LastError == "status 503 Service Unavailable") ? p : null,
                    Deadline,
                    "three messages pending behind a failing receiver");
            }

            receiver.Failing = false;
            await using var second = await ServerFixture.StartAsync(store: store, extra: channels);
            await Eventually.WaitAsync(() => Task.FromResult(receiver.Deliveries.Count >= 3), Deadline, "the pending messages after the restart");
            await Eventually.WaitAsync(async () => (await second.Client.GetNotificationsAsync("sent")).Count == 3, Deadline, "all marked sent");

            receiver.Deliveries.Select(d => d.Id).ShouldBe(pending.Select(n => n.DeliveryId).Reverse());
            (await second.Client.GetNotificationsAsync()).Count.ShouldBe(3); // the new controller's tail added nothing twice
        }
        finally
        {
            Directory.Delete(storeDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Start_SecretVariableNotSet_RefusesToStartNamingIt()
    {
        var yaml = """
            store: sqlite:rewind.db
            components: {}
            notifications:
              channels:
                hook: { webhook: { url: "http://127.0.0.1:9/hook", secret-env: REWIND_TEST_SECRET_THAT_IS_NOT_SET } }
            """;
        var config = ConfigParser.Parse(yaml, "rewind.yaml", Path.GetTempPath()).Config!;

        var error = await Should.ThrowAsync<RewindStartException>(() => RewindServer.CreateAsync(config));

        error.Message.ShouldBe("notifications.channels.hook.webhook.secret-env: environment variable REWIND_TEST_SECRET_THAT_IS_NOT_SET is not set");
    }

    [Fact]
    public async Task List_UnknownStatus_Is400()
    {
        await using var server = await ServerFixture.StartAsync();

        var error = await Should.ThrowAsync<RewindApiException>(() => server.Client.GetNotificationsAsync("lost"));

        error.Status.ShouldBe(400);
        error.Detail.ShouldBe("status 'lost' is not one of pending, failed, sent");
    }

    /// <summary>A secret in a fresh environment variable, as an operator would export it.</summary>
    private static (string Variable, string Secret) Secret()
    {
        var variable = $"REWIND_TEST_HOOK_SECRET_{Guid.NewGuid():N}";
        var secret = Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        return (variable, secret);
    }

    private static string Channels(params string[] channels) => $"notifications: {{ channels: {{ {string.Join(", ", channels)} }} }}";
}
