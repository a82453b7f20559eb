using Rewind.Core.Signals;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;

namespace Rewind.Engine.Tests.Signals;

/// <summary>
/// Probes a host's agent runs, in virtual time: its samples stored as the endpoint stores them (<see cref="HostSamples"/>),
/// fed by the leader's look at the probe's interval (<see cref="HostProbeFeed"/>), as a probe the controller runs is.
/// </summary>
public sealed class HostProbeFeedTests
{
    private const string EnvProbe = "env: { command: { argv: [test, -r, /etc/shop/shop.env] }, host: app-1, interval: 200ms, timeout: 100ms }";
    private const string EnvPolicy = "{ env-missing: { when: { probe: env, failing-for: 300ms, min-failures: 2 }, severity: P1, mode: notify } }";

    [Fact]
    public async Task Feed_FailingSamplesFromTheHost_OpenTheIncidentOfThePolicy()
    {
        await using var engine = await EngineFixture.StartAsync(policies: EnvPolicy, probesExtra: EnvProbe);
        await engine.StableV1ThenV2Async();

        await LooksAsync(engine, 3, success: false);

        var incident = (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        incident.Severity.ShouldBe(Core.Incidents.Severity.P1);
        (await engine.TimelineAsync(incident.Id)).ShouldContain(e => e.Message.StartsWith("policy env-missing:", StringComparison.Ordinal) && e.Message.Contains("not readable", StringComparison.Ordinal));
        engine.Get<HealthBoard>().IsFailing("web", "env", 1).ShouldBe(true);
        (await engine.Store.GetRecentSamplesAsync("web", "env", 10)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Feed_AgentSilentForTwoIntervalsAndATimeout_ProbeIsNotMeasured_NotFailing_UntilItsNextSample()
    {
        await using var engine = await EngineFixture.StartAsync(probesExtra: EnvProbe);
        var board = engine.Get<HealthBoard>();
        await LooksAsync(engine, 1, success: false);
        board.IsFailing("web", "env", 1).ShouldBe(true);

        engine.Time.Advance(TimeSpan.FromMilliseconds(500)); // 2 × 200ms + 100ms: not yet longer than that
        await LookAsync(engine);
        board.NotMeasuredSince("web", "env").ShouldBeNull();

        engine.Time.Advance(TimeSpan.FromMilliseconds(1));
        await LookAsync(engine);
        board.NotMeasuredSince("web", "env").ShouldBe(engine.Now.AddMilliseconds(-501));
        board.IsFailing("web", "env", 1).ShouldBeNull("not measured is neither failing nor passing");
        board.Latest("web", "env")!.Success.ShouldBeFalse("the newest sample stays shown");

        await LooksAsync(engine, 1, success: true);
        board.NotMeasuredSince("web", "env").ShouldBeNull();
        board.IsFailing("web", "env", 1).ShouldBe(false);
    }

    [Fact]
    public async Task Store_ASampleOfAProbeNotOnTheHost_RefusesTheWholeBatch()
    {
        await using var engine = await EngineFixture.StartAsync(probesExtra: EnvProbe);
        var samples = engine.Get<HostSamples>();

        var outcome = await samples.StoreAsync("app-2", [Sample(engine, false)]);
        var mixed = await samples.StoreAsync("app-1", [Sample(engine, false), Sample(engine, false) with { Probe = "health" }]);

        outcome.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Forbidden);
        outcome.Refusal.Detail.ShouldStartWith("web/env is not a probe run on app-2; the host runs none");
        mixed.Refusal.ShouldNotBeNull().Detail.ShouldStartWith("web/health is not a probe run on app-1; the host runs web/env");
        (await engine.Store.GetRecentSamplesAsync("web", "env", 10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Store_ASampleFromMoreThanAMinuteAhead_RefusesTheBatch_ItWouldHideTheLaterSamples()
    {
        await using var engine = await EngineFixture.StartAsync(probesExtra: EnvProbe);
        var samples = engine.Get<HostSamples>();

        var ahead = await samples.StoreAsync("app-1", [Sample(engine, true) with { At = engine.Now.AddMinutes(2) }]);
        var slightly = await samples.StoreAsync("app-1", [Sample(engine, true) with { At = engine.Now.AddSeconds(30) }]);

        ahead.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Invalid);
        ahead.Refusal.Detail.ShouldContain("2m ahead of the controller's clock");
        slightly.Value.ShouldBe(new HostSamplesStored(1, 0), "a host's clock a little ahead is taken");
    }

    [Fact]
    public async Task Store_TheSameBatchTwice_StoresItOnce()
    {
        await using var engine = await EngineFixture.StartAsync(probesExtra: EnvProbe);
        var samples = engine.Get<HostSamples>();
        var first = Sample(engine, true);
        engine.Time.Advance(TimeSpan.FromMilliseconds(200));
        ProbeSample[] batch = [first, Sample(engine, false)];

        var once = await samples.StoreAsync("app-1", batch);
        var again = await samples.StoreAsync("app-1", batch);

        once.Value.ShouldBe(new HostSamplesStored(2, 0));
        again.Value.ShouldBe(new HostSamplesStored(0, 2));
        (await engine.Store.GetRecentSamplesAsync("web", "env", 10)).Select(s => s.Success).ShouldBe([false, true]);
    }

    /// <summary><paramref name="count"/> probe intervals: in each, the agent's sample arrives and the leader looks.</summary>
    private static async Task LooksAsync(EngineFixture engine, int count, bool success)
    {
        for (var i = 0; i < count; i++)
        {
            engine.Time.Advance(TimeSpan.FromMilliseconds(200));
            (await engine.Get<HostSamples>().StoreAsync("app-1", [Sample(engine, success)])).Refusal.ShouldBeNull();
            (await LookAsync(engine)).ShouldBe(1);
        }
    }

    private static Task<int> LookAsync(EngineFixture engine) =>
        engine.Get<HostProbeFeed>().FeedAsync(HostProbe.All(engine.Get<ConfigHolder>().Current).ShouldHaveSingleItem());

    private static ProbeSample Sample(EngineFixture engine, bool success) =>
        new("web", "env", engine.Now, success, 3, success ? null : "exit 1, expected 0: /etc/shop/shop.env not readable");
}
