using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.Runtime.Notifications;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Notifications;

public sealed class NotifierTests
{
    private static readonly Notification Message = new(
        "5f0c1d2e-0000-4000-8000-000000000001",
        "rollback-failed",
        "[P1] web: ROLLBACK FAILED RB-2026-03-14-0001 (v2 -> v1)\nError: step 3 (wait-healthy) failed\nA person must act now.",
        """{"event":"rollback-failed","text":"ROLLBACK FAILED ✓"}""");

    [Fact]
    public async Task EmailNotifier_RealSmtpSink_ReceivesSubjectBodyAndDeliveryId()
    {
        await using var sink = await SmtpSink.StartAsync();
        var notifier = new EmailNotifier(new EmailSettings("127.0.0.1", sink.Port, false, "rewind@example.org", ["oncall@example.org", "lead@example.org"]), TimeSpan.FromSeconds(10), TimeProvider.System);

        var result = await notifier.SendAsync(Message);

        result.ShouldBe(NotifyResult.Ok);
        var received = sink.Messages().ShouldHaveSingleItem();
        received.GetProperty("subject").GetString().ShouldBe("[P1] web: ROLLBACK FAILED RB-2026-03-14-0001 (v2 -> v1)");
        received.GetProperty("body").GetString()!.ReplaceLineEndings("\n").ShouldContain("Error: step 3 (wait-healthy) failed\nA person must act now.");
        received.GetProperty("from").GetString().ShouldBe("rewind@example.org");
        received.GetProperty("to").EnumerateArray().Select(e => e.GetString()).ShouldBe(["oncall@example.org", "lead@example.org"]);
        received.GetProperty("delivery").GetString().ShouldBe(Message.DeliveryId);
    }

    [Fact]
    public async Task EmailNotifier_CarriageReturnInTheFirstLine_IsSentWithASubjectOnOneLine()
    {
        await using var sink = await SmtpSink.StartAsync();
        var notifier = new EmailNotifier(new EmailSettings("127.0.0.1", sink.Port, false, "rewind@example.org", ["oncall@example.org"]), TimeSpan.FromSeconds(10), TimeProvider.System);

        var result = await notifier.SendAsync(Message with { Text = "[P1] web down\rBcc: evil@example.org\u2028X-Forged: 1\nbody" });

        result.ShouldBe(NotifyResult.Ok);
        var received = sink.Messages().ShouldHaveSingleItem();
        received.GetProperty("subject").GetString().ShouldBe("[P1] web down Bcc: evil@example.org\u2028X-Forged: 1");
        received.GetProperty("to").EnumerateArray().Select(e => e.GetString()).ShouldBe(["oncall@example.org"]);
    }

    [Theory]
    [InlineData("[P1] web: down\nmore", "[P1] web: down")]
    [InlineData("[P1] web: down\r\nmore", "[P1] web: down")]
    [InlineData("a\rBcc: evil@example.org\nmore", "a Bcc: evil@example.org")]
    [InlineData("tab\there\u0000nul", "tab here nul")]
    public void Subject_Text_IsTheFirstLineWithoutControlCharacters(string text, string subject)
    {
        (Message with { Text = text }).Subject.ShouldBe(subject);
    }

    [Fact]
    public async Task EmailNotifier_NothingListening_FailsAsAValue()
    {
        var notifier = new EmailNotifier(new EmailSettings("127.0.0.1", Rewind.Runtime.Samples.SampleRelease.FreeLoopbackPort(), false, "rewind@example.org", ["oncall@example.org"]), TimeSpan.FromSeconds(5), TimeProvider.System);

        var result = await notifier.SendAsync(Message);

        result.Delivered.ShouldBeFalse();
        result.Error.ShouldStartWith("smtp: ");
    }

    [Fact]
    public async Task EmailNotifier_CredentialsButTheRelayOffersNoAuthentication_FailsRatherThanSendingUnauthenticated()
    {
        await using var sink = await SmtpSink.StartAsync();
        var notifier = new EmailNotifier(new EmailSettings("127.0.0.1", sink.Port, false, "rewind@example.org", ["oncall@example.org"], "rewind", "s3cret"), TimeSpan.FromSeconds(10), TimeProvider.System);

        var result = await notifier.SendAsync(Message);

        result.Delivered.ShouldBeFalse();
        result.Error.ShouldStartWith("smtp: ");
        result.Error.ShouldContain("authentication");
        result.Error.ShouldNotContain("s3cret");
        sink.Messages().ShouldBeEmpty();
    }

    [Fact]
    public async Task EmailNotifier_StartTlsAgainstARelayWithoutIt_FailsRatherThanSendingInTheClear()
    {
        await using var sink = await SmtpSink.StartAsync();
        var notifier = new EmailNotifier(new EmailSettings("127.0.0.1", sink.Port, true, "rewind@example.org", ["oncall@example.org"]), TimeSpan.FromSeconds(10), TimeProvider.System);

        var result = await notifier.SendAsync(Message);

        result.Delivered.ShouldBeFalse();
        result.Error.ShouldStartWith("smtp: ");
        sink.Messages().ShouldBeEmpty();
    }

    [Fact]
    public async Task EmailNotifier_RelayThatNeverAnswers_TimesOutAsAValue()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var notifier = new EmailNotifier(new EmailSettings("127.0.0.1", ((System.Net.IPEndPoint)silent.LocalEndpoint).Port, false, "rewind@example.org", ["oncall@example.org"]), TimeSpan.FromSeconds(1), TimeProvider.System);

        var result = await notifier.SendAsync(Message);

        result.ShouldBe(NotifyResult.Failed("timeout after 1s"));
    }

    [Fact]
    public async Task CommandNotifier_RealProcess_GetsThePayloadOnStdinAndTheDeliveryInItsEnvironment()
    {
        using var directory = new TempDirectory();
        var file = directory.Combine("message.json");
        // An argv: the script is sh's own argument and the path is passed as $1, never spliced into a command line.
        var notifier = new CommandNotifier(["sh", "-c", "cat > \"$1\"; printf '%s %s' \"$REWIND_DELIVERY\" \"$REWIND_EVENT\" > \"$1.env\"", "sh", file], new ProcessRunner(), TimeSpan.FromSeconds(30));

        var result = await notifier.SendAsync(Message);

        result.ShouldBe(NotifyResult.Ok);
        (await File.ReadAllTextAsync(file)).ShouldBe(Message.Payload);
        (await File.ReadAllTextAsync(file + ".env")).ShouldBe($"{Message.DeliveryId} rollback-failed");
    }

    [Fact]
    public async Task CommandNotifier_NonZeroExit_FailsWithTheLastLineOfOutput()
    {
        var notifier = new CommandNotifier(["sh", "-c", "cat >/dev/null; echo 'pager API said no' >&2; exit 3"], new ProcessRunner(), TimeSpan.FromSeconds(30));

        var result = await notifier.SendAsync(Message);

        result.Delivered.ShouldBeFalse();
        result.Error!.ShouldMatch(@"^exit 3 in \S+: pager API said no$");
    }

    [Fact]
    public async Task WebhookNotifier_RealReceiver_SignatureVerifiesOverTimestampAndRawBody()
    {
        var secret = Encoding.UTF8.GetBytes("s3cret-for-tests");
        var seen = new List<(string Signature, string Timestamp, string Delivery, string Event, byte[] Body)>();
        await using var receiver = await LoopbackApp.StartAsync(app => app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            lock (seen)
            {
                seen.Add((request.Headers["X-Rewind-Signature"].ToString(), request.Headers["X-Rewind-Timestamp"].ToString(), request.Headers["X-Rewind-Delivery"].ToString(), request.Headers["X-Rewind-Event"].ToString(), buffer.ToArray()));
            }

            return Results.NoContent();
        }));
        using var http = HttpDelivery.CreateClient();
        var notifier = new WebhookNotifier(new Uri(receiver.BaseUrl + "/hook"), secret, http, TimeSpan.FromSeconds(10), TimeProvider.System);

        var result = await notifier.SendAsync(Message);

        result.ShouldBe(NotifyResult.Ok);
        var (signature, timestamp, delivery, kind, body) = seen.ShouldHaveSingleItem();
        Encoding.UTF8.GetString(body).ShouldBe(Message.Payload);
        delivery.ShouldBe(Message.DeliveryId);
        kind.ShouldBe("rollback-failed");
        Math.Abs(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture) - TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()).ShouldBeLessThan(60);
        // The documented procedure: HMAC-SHA256(secret, timestamp + "." + body), lower-case hex, after "sha256=".
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(secret, (byte[])[.. Encoding.ASCII.GetBytes(timestamp + "."), .. body]));
        signature.ShouldBe(expected);
        WebhookSignature.Verify(secret, timestamp, body, signature).ShouldBeTrue();
        WebhookSignature.Verify(Encoding.UTF8.GetBytes("another secret"), timestamp, body, signature).ShouldBeFalse();
        WebhookSignature.Verify(secret, timestamp, [.. body, (byte)' '], signature).ShouldBeFalse();
    }

    [Fact]
    public async Task WebhookNotifier_ReceiverAnswers503OrIsDown_FailsAsAValue()
    {
        await using var receiver = await LoopbackApp.StartAsync(app => app.MapPost("/hook", () => Results.StatusCode(503)));
        using var http = HttpDelivery.CreateClient();
        var down = new WebhookNotifier(new Uri($"http://127.0.0.1:{Rewind.Runtime.Samples.SampleRelease.FreeLoopbackPort()}/hook"), [1], http, TimeSpan.FromSeconds(10), TimeProvider.System);
        var failing = new WebhookNotifier(new Uri(receiver.BaseUrl + "/hook"), [1], http, TimeSpan.FromSeconds(10), TimeProvider.System);

        (await down.SendAsync(Message)).ShouldBe(NotifyResult.Failed("connection refused"));
        (await failing.SendAsync(Message)).ShouldBe(NotifyResult.Failed("status 503 Service Unavailable"));
    }

    [Fact]
    public async Task SlackNotifier_RealReceiver_PostsTheTextAsJson()
    {
        var bodies = new List<string>();
        await using var receiver = await LoopbackApp.StartAsync(app => app.MapPost("/services/T0/B0/x", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            lock (bodies)
            {
                bodies.Add(body);
            }

            return Results.Text("ok");
        }));
        using var http = HttpDelivery.CreateClient();

        var result = await new SlackNotifier(new Uri(receiver.BaseUrl + "/services/T0/B0/x"), http, TimeSpan.FromSeconds(10), TimeProvider.System).SendAsync(Message);

        result.ShouldBe(NotifyResult.Ok);
        JsonDocument.Parse(bodies.ShouldHaveSingleItem()).RootElement.GetProperty("text").GetString().ShouldBe(Message.Text);
    }
}
