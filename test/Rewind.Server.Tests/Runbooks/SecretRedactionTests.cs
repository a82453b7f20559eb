using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Server.Tests.Api;
using Rewind.Server.Tests.Notifications;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>
/// A real controller runs a plan whose steps print a secret, directly, through an environment variable filled from it,
/// in an HTTP answer and in batch members, and whose probe URL holds a password: neither is found in the store's files,
/// the log, anything a viewer reads from the API, or what the channels receive.
/// </summary>
public sealed class SecretRedactionTests : IAsyncDisposable
{
    private const string Variable = "REWIND_TEST_LEAK_TOKEN";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _secret = "lk-" + Guid.NewGuid().ToString("N");
    private readonly string _password = "pw-" + Guid.NewGuid().ToString("N");
    private readonly List<string> _authorizations = [];
    private LoopbackApp? _app;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task RollbackPrintingASecret_ItIsFoundInNoRecordLogAnswerOrMessage()
    {
        Environment.SetEnvironmentVariable(Variable, _secret);
        _app = await LoopbackApp.StartAsync(web =>
        {
            web.MapGet("/health", () => Results.Ok());
            web.MapPost("/echo", (HttpContext context) =>
            {
                lock (_authorizations)
                {
                    _authorizations.Add(context.Request.Headers.Authorization.ToString());
                }

                return Results.Text($"you sent {context.Request.Headers.Authorization}");
            });
        });
        var hookSecret = Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("REWIND_TEST_LEAK_HOOK_SECRET", hookSecret);
        await using var hook = await WebhookReceiver.UpAsync(hookSecret);
        await using var chat = await WebhookReceiver.UpAsync(hookSecret);
        var log = new LogCapture();
        var probeUrl = $"http://ops:{_password}@127.0.0.1:{new Uri(_app.BaseUrl).Port}/health";
        await using var server = await ServerFixture.StartAsync(
            restart: "[\"true\"]",
            probeUrl: probeUrl,
            componentExtra: Plan(_app.BaseUrl),
            extra: $"notifications: {{ channels: {{ hook: {{ webhook: {{ url: \"{hook.Url}\", secret-env: REWIND_TEST_LEAK_HOOK_SECRET }} }}, chat: {{ slack: {{ url: \"{chat.Url}\" }}, events: [rollback-failed] }} }} }}",
            options: new RewindServerOptions { MinimumLogLevel = LogLevel.Debug, LoggerProviders = [log] });
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "failed" or "succeeded" } r ? r : null, Deadline, "the rollback to finish");
        await Eventually.WaitAsync(() => Task.FromResult(hook.Deliveries.Any(d => d.Event == "rollback-failed") && chat.Deliveries.Count > 0), Deadline, "rollback-failed at both channels");

        done.Status.ShouldBe("failed", done.Error);
        _authorizations.ShouldBe([$"Bearer {_secret}"]); // the secret went where the plan sent it
        var redacted = $"[secret {Variable}]";
        done.Steps.Select(s => (s.Kind, s.Status)).ShouldBe([("switch", "succeeded"), ("restart", "succeeded"), ("command", "succeeded"), ("http", "succeeded"), ("wait-healthy", "succeeded"), ("batch", "succeeded"), ("command", "failed")]);
        done.Steps[2].Output!.ShouldEndWith($"direct {redacted}");
        done.Steps[3].Output!.ShouldEndWith($"you sent Bearer {redacted}");
        done.Steps[6].Output!.ShouldEndWith($"from env {redacted}");
        (await server.Client.GetMembersAsync(requested.Id, 5)).Select(m => m.Output).ShouldAllBe(output => output!.EndsWith($"has {redacted}", StringComparison.Ordinal));
        done.Error!.ShouldContain($"from env {redacted}");
        hook.Deliveries.Single(d => d.Event == "rollback-failed").Body.GetProperty("text").GetString()!.ShouldContain($"from env {redacted}");
        log.Lines.ShouldContain(line => line.Contains("[2002]", StringComparison.Ordinal) && line.Contains($"from env {redacted}", StringComparison.Ordinal));

        var readable = await EverythingReadableAsync(server, requested, done, log, hook, chat);
        readable.ShouldContain(r => r.Where.EndsWith("rewind.db", StringComparison.Ordinal));
        readable.Where(r => r.Text.Contains(_secret, StringComparison.Ordinal)).Select(r => r.Where).ShouldBeEmpty("where the secret is");
        readable.Where(r => r.Text.Contains(_password, StringComparison.Ordinal)).Select(r => r.Where).ShouldBeEmpty("where the probe's password is");
    }

    private static string Plan(string app) => $$$"""
        plan: [
                  { switch: {} },
                  { command: { argv: [/bin/echo, "direct {{secret.{{{Variable}}}}}"] } },
                  { http: { url: "{{{app}}}/echo", headers: { Authorization: "Bearer {{secret.{{{Variable}}}}}" } } },
                  { wait-healthy: { timeout: 20s } },
                  { batch: { members: { list: [fn-1, fn-2] }, argv: [/bin/sh, -c, "echo \"$0 has $KEY\"", "{{member}}"], env: { KEY: "{{secret.{{{Variable}}}}}" } } },
                  { command: { argv: [/bin/sh, -c, "echo \"from env $TOKEN\"; exit 3"], env: { TOKEN: "{{secret.{{{Variable}}}}}" } } }
                ]
        """;

    /// <summary>The store's files, the log, every answer a viewer gets about the rollback and its incident, and every message sent.</summary>
    private static async Task<List<(string Where, string Text)>> EverythingReadableAsync(ServerFixture server, RollbackDto requested, RollbackDto done, LogCapture log, WebhookReceiver hook, WebhookReceiver chat)
    {
        var texts = new List<(string, string)>();
        foreach (var file in Directory.GetFiles(server.Root, "rewind.db*").Where(f => !f.EndsWith(".controller", StringComparison.Ordinal)))
        {
            // rewind.db.controller is the running controller's lock, empty and unreadable while held; its holder file is read.
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes);
            texts.Add((file, Encoding.UTF8.GetString(bytes.ToArray())));
        }

        texts.Add(("the log", string.Join("\n", log.Lines)));
        texts.AddRange(hook.Deliveries.Concat(chat.Deliveries).Select(d => ($"{d.Event} delivery", d.Body.GetRawText())));
        await server.Client.CreateUserAsync(new CreateUserRequest("vera", [Core.Access.Roles.Viewer]));
        using var viewer = server.HttpAs((await server.Client.CreateTokenAsync("vera", new CreateTokenRequest())).Token);
        string[] paths =
        [
            $"rollbacks/{requested.Id}", "rollbacks", $"incidents/{requested.IncidentId}", "incidents", $"incidents/{requested.IncidentId}/report",
            $"incidents/{requested.IncidentId}/report?format=html", "notifications", "components", "components/web", "components/web/samples",
            "components/web/signals", $"rollbacks/{requested.Id}/approvals", .. done.Steps.Select(s => $"rollbacks/{requested.Id}/steps/{s.Index}/members"),
        ];
        foreach (var path in paths)
        {
            using var response = await viewer.GetAsync("api/v1/" + path);
            response.IsSuccessStatusCode.ShouldBeTrue(path);
            texts.Add((path, await response.Content.ReadAsStringAsync()));
        }

        using var ends = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        texts.Add(("rollback events", await viewer.GetStringAsync($"api/v1/rollbacks/{requested.Id}/events", ends.Token))); // a finished rollback's stream ends
        return texts;
    }
}
