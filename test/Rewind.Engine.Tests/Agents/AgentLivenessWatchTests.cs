using Rewind.Core.Agents;
using Rewind.Core.Configuration;
using Rewind.Engine.Agents;

namespace Rewind.Engine.Tests.Agents;

public sealed class AgentLivenessWatchTests
{
    [Fact]
    public async Task LookAsync_AgentStopsPolling_OnePageThenOneNoteWhenBack()
    {
        await using var fixture = await EngineFixture.StartAsync(componentExtra: "host: app-1");
        var watch = fixture.Get<AgentLivenessWatch>();
        await PollAsync(fixture, "app-1");
        (await watch.LookAsync()).ShouldBeEmpty();
        var lastPoll = fixture.Now;

        fixture.Time.Advance(TimeSpan.FromSeconds(19));
        (await watch.LookAsync()).ShouldBeEmpty("heard from 19 s ago: still connected");
        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        var lost = (await watch.LookAsync()).ShouldHaveSingleItem();

        lost.Kind.ShouldBe(AgentNoticeKind.Lost);
        lost.Fault.ShouldBe(AgentLivenessWatch.LostKind);
        lost.Since.ShouldBe(lastPoll + AgentLiveness.LostAfter);
        lost.Message.ShouldBe($"agent of app-1 lost: last heard from at {Rewind.Core.Configuration.Timestamps.Format(lastPoll)} (21 s ago) from 10.0.0.7, version 1.2.3; steps for app-1 wait up to their unreachable limit (2m), then fail as unreachable");

        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        (await watch.LookAsync()).ShouldBeEmpty("the same loss is paged once");

        await PollAsync(fixture, "app-1");
        var back = (await watch.LookAsync()).ShouldHaveSingleItem();
        back.Kind.ShouldBe(AgentNoticeKind.Back);
        back.Fault.ShouldBe(AgentLivenessWatch.LostKind);
        back.Gone.ShouldBe(TimeSpan.FromSeconds(301));
        back.Message.ShouldBe("agent of app-1 is back after 5m1s: polling from 10.0.0.7, version 1.2.3");
        (await watch.LookAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task LookAsync_NamedHostNeverPolled_ToldOnceAfterTheAgentsHadTheirChance()
    {
        await using var fixture = await EngineFixture.StartAsync(componentExtra: "host: app-1");
        var watch = fixture.Get<AgentLivenessWatch>();
        (await watch.LookAsync()).ShouldBeEmpty("agents get a lost interval to poll a controller that just started");

        fixture.Time.Advance(AgentLiveness.LostAfter);
        var notice = (await watch.LookAsync()).ShouldHaveSingleItem();
        notice.Kind.ShouldBe(AgentNoticeKind.NotPolled);
        notice.Fault.ShouldBe(AgentLivenessWatch.NotPolledKind);
        notice.Message.ShouldStartWith("no agent of app-1 has polled yet");

        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        (await watch.LookAsync()).ShouldBeEmpty();
        await PollAsync(fixture, "app-1");
        (await watch.LookAsync()).ShouldHaveSingleItem().Kind.ShouldBe(AgentNoticeKind.Back);
    }

    [Fact]
    public async Task LookAsync_AgentLastHeardBeforeTheControllerStarted_NotLostUntilItHadTimeToPoll()
    {
        await using var fixture = await EngineFixture.StartAsync();
        await PollAsync(fixture, "db-1"); // a host no config names: it counts once it has polled
        fixture.Time.Advance(TimeSpan.FromHours(1));
        var watch = fixture.Get<AgentLivenessWatch>();

        (await watch.LookAsync()).ShouldBeEmpty();
        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        await PollAsync(fixture, "db-1");
        fixture.Time.Advance(TimeSpan.FromSeconds(15));
        (await watch.LookAsync()).ShouldBeEmpty("it polled the new controller");
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        (await watch.LookAsync()).ShouldHaveSingleItem().Message.ShouldStartWith("agent of db-1 lost: last heard from at");
    }

    [Fact]
    public void Named_ComponentFleetAndCommandStepHosts_WithTheirUnreachableWaits()
    {
        var parsed = ConfigParser.Parse(
            """
            store: "sqlite:rewind.db"
            components:
              web:
                host: app-1
                unreachable: { wait: 30s }
                provider: { release-dir: { path: /srv/web, restart: ["true"] } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } }
                plan:
                  - switch: {}
                  - parallel:
                      - command: { argv: ["true"], host: app-2 }
                      - cache-flush: { command: { argv: ["true"], host: cdn-1 } }
              api:
                provider: { command: { switch: ["true", "{{target.version}}"] } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } }
                plan:
                  - switch: {}
                  - migrate-down: { argv: ["true"], host: app-2 }
              workers:
                hosts: [worker-1, worker-2]
                unreachable: { wait: 10s }
                provider: { release-dir: { path: /srv/workers, restart: ["true"] } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } }
            """,
            "rewind.yaml",
            Path.GetTempPath());
        parsed.Errors.ShouldBeEmpty();

        var named = AgentHosts.Named(parsed.Config!);

        named.Keys.Order(StringComparer.Ordinal).ShouldBe(["app-1", "app-2", "cdn-1", "worker-1", "worker-2"]);
        named["worker-2"].ShouldBe([TimeSpan.FromSeconds(10)]);
        named["app-1"].ShouldBe([TimeSpan.FromSeconds(30)]);
        named["app-2"].ShouldBe([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)]);
    }

    private static Task PollAsync(EngineFixture fixture, string host) =>
        fixture.Store.SaveAgentAsync(new AgentRecord(host, "i-1", "1.2.3", "10.0.0.7", EngineFixture.Start, fixture.Now, fixture.Now));
}
