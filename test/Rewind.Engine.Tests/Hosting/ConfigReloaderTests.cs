using System.Globalization;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Engine.Hosting;
using Rewind.Engine.Notifications;
using Rewind.Engine.Runbooks;
using Rewind.TestUtils;

namespace Rewind.Engine.Tests.Hosting;

/// <summary>
/// A reload of the config on the engine as the controller builds it: a valid change is in force at once as a whole and
/// recorded by name; an invalid one is refused with every error at its place and the running config stays; settings
/// that need a restart keep their running values and say where they are written; a rollback running across a reload
/// keeps the config it started under.
/// </summary>
public sealed class ConfigReloaderTests
{
    private const string Down = "down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, mode: notify }";

    [Fact]
    public async Task ReloadAsync_ComponentAddedAndPolicyChanged_PutsTheNewConfigInForceAndRecordsWhatChanged()
    {
        await using var engine = await EngineFixture.StartAsync(policies: $"{{ {Down} }}");
        var holder = engine.Get<ConfigHolder>();
        var before = holder.Current;

        var report = await ReloadAsync(engine, Yaml(engine, policies: $"{{ {Down.Replace("300ms", "2s", StringComparison.Ordinal)} }}", components: Api));

        report.Outcome.ShouldBe(ConfigReloadOutcome.Applied, string.Join("; ", report.Errors));
        report.Changes.ShouldBe(["component api added", "policy web.down changed"]);
        report.NeedsRestart.ShouldBeEmpty();
        holder.Version.Number.ShouldBe(2);
        holder.Current.ShouldNotBeSameAs(before);
        holder.Current.Components.Keys.Order(StringComparer.Ordinal).ShouldBe(["api", "web"]);
        holder.Current.Components["web"].Policies["down"].When.FailingFor.ShouldBe(TimeSpan.FromSeconds(2));
        (await engine.Store.GetComponentAsync("api")).ShouldNotBeNull("a new component is registered in the store");
        var audit = (await engine.Store.GetAuditAsync(0, 100)).Single(a => a.Action == "config reload");
        (audit.Actor, audit.Result, audit.Target).ShouldBe(("SIGHUP", "applied", "file=rewind.yaml"));
        audit.Detail.ShouldBe("component api added; policy web.down changed");
    }

    [Fact]
    public async Task ReloadAsync_InvalidConfig_IsRefusedWithPositions_AndTheRunningConfigStays()
    {
        await using var engine = await EngineFixture.StartAsync(policies: $"{{ {Down} }}");
        var holder = engine.Get<ConfigHolder>();
        var before = holder.Current;

        var report = await ReloadAsync(engine, Yaml(engine, policies: "{ down: { when: { probe: nope, failing-for: soon } } }"));

        report.Outcome.ShouldBe(ConfigReloadOutcome.Refused);
        report.Errors.ShouldNotBeEmpty();
        report.Errors.ShouldAllBe(e => e.File == "rewind.yaml" && e.Line == 14 && e.Column > 1);
        holder.Current.ShouldBeSameAs(before);
        holder.Version.Number.ShouldBe(1);
        holder.LastReload.ShouldBe(report);
        var audit = (await engine.Store.GetAuditAsync(0, 100)).Single(a => a.Action == "config reload");
        audit.Result.ShouldBe("refused");
        audit.Detail.ShouldContain("the running config stays in force: rewind.yaml:14:");
        audit.Detail.ShouldContain(": components.web.policies.down.when.failing-for");
        audit.Detail.ShouldNotContain("soon"); // where and which key, never a value the file holds
        report.Errors.ShouldContain(e => e.Message.EndsWith("found 'soon'", StringComparison.Ordinal)); // the operator's answer has it all
    }

    [Fact]
    public async Task ReloadAsync_ChannelSecretNotInTheEnvironment_IsRefusedAtItsKey()
    {
        await using var engine = await EngineFixture.StartAsync();
        var channel = """
            notifications:
              channels:
                ops:
                  webhook: { url: "http://127.0.0.1:9/hook", secret-env: REWIND_TEST_UNSET_SECRET_4711 }
            """;

        var report = await ReloadAsync(engine, Yaml(engine, extra: channel));

        report.Outcome.ShouldBe(ConfigReloadOutcome.Refused);
        report.Errors.Select(e => e.ToString()).ShouldBe(["rewind.yaml:22:62: notifications.channels.ops.webhook.secret-env: environment variable REWIND_TEST_UNSET_SECRET_4711 is not set"]);
        engine.Get<NotificationChannels>().All.ShouldBeEmpty();
    }

    [Fact]
    public async Task ReloadAsync_SettingThatNeedsARestartChanged_KeepsItsRunningValueAndSaysWhere()
    {
        await using var engine = await EngineFixture.StartAsync();
        var holder = engine.Get<ConfigHolder>();
        var store = holder.Current.Store;

        var report = await ReloadAsync(engine, Yaml(engine, store: "sqlite:elsewhere.db", extra: "server:\n  leader-lease: 9s\n  limits: { requests-per-minute: 10 }"));

        report.Outcome.ShouldBe(ConfigReloadOutcome.Applied);
        report.Changes.ShouldBe(["server.limits changed"]);
        report.NeedsRestart.Select(r => r.ToString()).ShouldBe(["store (rewind.yaml:1:8)", "server.leader-lease (rewind.yaml:20:17)"]);
        holder.Current.Store.ShouldBe(store);
        holder.Current.Server.LeaderLease.ShouldBe(TimeSpan.FromSeconds(6));
        holder.Current.Server.Limits.RequestsPerMinute.ShouldBe(10);
    }

    [Fact]
    public async Task ReloadAsync_ChannelAddedThenChanged_TheChannelsInForceFollow()
    {
        await using var engine = await EngineFixture.StartAsync();
        var channels = engine.Get<NotificationChannels>();
        static string Channel(string argv) => $"notifications:\n  channels:\n    ops: {{ command: {{ argv: [{argv}] }}, min-severity: P1 }}";

        var added = await ReloadAsync(engine, Yaml(engine, extra: Channel("/bin/true")));
        var limiter = channels.All.ShouldHaveSingleItem().RateLimiter;
        var changed = await ReloadAsync(engine, Yaml(engine, extra: Channel("/bin/echo")));

        added.Changes.ShouldBe(["channel ops added"]);
        changed.Changes.ShouldBe(["channel ops changed"]);
        var ops = channels.All.ShouldHaveSingleItem();
        ops.Config.Command!.Argv.ShouldBe(["/bin/echo"]);
        ops.RateLimiter.ShouldBeSameAs(limiter, "the same rate limit keeps its count of recent messages");
    }

    [Fact]
    public async Task ReloadAsync_SameConfigAgain_ChangesNothing()
    {
        await using var engine = await EngineFixture.StartAsync(policies: $"{{ {Down} }}");

        var report = await ReloadAsync(engine, Yaml(engine, policies: $"{{ {Down} }}"));

        report.Outcome.ShouldBe(ConfigReloadOutcome.Unchanged);
        engine.Get<ConfigHolder>().Version.Number.ShouldBe(1);
    }

    [Fact]
    public async Task Rollback_RunningAcrossAReload_KeepsThePlanAndTheConfigItStartedWith()
    {
        var gate = Path.Combine(Path.GetTempPath(), $"rewind-reload-gate-{Guid.NewGuid():N}");
        var plan = $$"""
            plan:
                  - switch: {}
                  - command: { argv: [sh, -c, 'while [ ! -e "$0" ]; do sleep 0.02; done', "{{gate}}"] }
                verify: { hold-for: 1s, timeout: 5s }
            """;
        await using var engine = await EngineFixture.StartAsync(policies: $"{{ {Down} }}", componentExtra: plan);
        await engine.StableV1ThenV2Async();
        var requested = await engine.Get<RollbackCoordinator>().RequestAsync("web", null, "test", "alice", null);
        var id = requested.Rollback!.Id;
        var run = engine.Get<RollbackExecutor>().RunAsync(id);
        await Eventually.WaitAsync(
            async () =>
            {
                run.IsCompleted.ShouldBeFalse("the rollback should wait at its gated step");
                return (await engine.Store.GetRollbackAsync(id))!.Steps[2].Status == StepStatus.Running;
            },
            TimeSpan.FromSeconds(20),
            "the gated step running");

        var report = await ReloadAsync(engine, Yaml(engine, policies: "{ slow: { when: { probe: health, failing-for: 5s }, mode: notify } }"));
        report.Outcome.ShouldBe(ConfigReloadOutcome.Applied, string.Join("; ", report.Errors));
        report.Changes.ShouldContain("plan of web changed");
        await File.WriteAllTextAsync(gate, "");
        try
        {
            await Eventually.WaitAsync(
                () =>
                {
                    engine.Time.Advance(TimeSpan.FromMilliseconds(250)); // the hold polls on the engine's clock
                    return Task.FromResult(run.IsCompleted);
                },
                TimeSpan.FromSeconds(20),
                "the rollback to finish");

            await run;
        }
        finally
        {
            File.Delete(gate);
        }

        var done = (await engine.Store.GetRollbackAsync(id))!;
        done.Status.ShouldBe(RollbackStatus.Succeeded, done.Error);
        done.Steps.Select(s => s.Plan.Kind).ShouldBe(["switch", "restart", "command", "policies-hold"]);
        done.Steps[3].Output.ShouldBe("every policy of web (down) clean for 1s");
        engine.Get<ConfigHolder>().Current.Components["web"].Policies.Keys.ShouldBe(["slow"]); // the reload is in force outside the rollback
    }

    private const string Api = """
        api:
            provider: { command: { switch: ["true"] } }
            probes:
              health: { http: { url: "http://127.0.0.1:9/health" }, interval: 1s, timeout: 500ms }
        """;

    private static Task<ConfigReloadReport> ReloadAsync(EngineFixture engine, string yaml) =>
        engine.Get<ConfigReloader>().ReloadAsync(new ConfigReloadRequest(ConfigParser.Parse(yaml, "rewind.yaml", engine.Root), "rewind.yaml", "SIGHUP", "local"));

    /// <summary>The fixture's config (same lines, so positions are known) with what the test changes.</summary>
    private static string Yaml(EngineFixture engine, string policies = "{}", string components = "", string extra = "", string? store = null) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            store: "{{store ?? "sqlite:" + Path.Combine(engine.Root, "rewind.db")}}"
            components:
              web:
                provider:
                  release-dir:
                    path: app
                    restart: ["true"]
                probes:
                  health:
                    http: { url: "http://127.0.0.1:9/health" }
                    interval: 200ms
                    timeout: 100ms

                policies: {{policies}}
                healthy-timeout: 1s
                healthy-successes: 1

              {{components}}
            {{extra}}
            """);
}
