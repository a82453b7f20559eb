using Rewind.Core.Signals;

namespace Rewind.Engine.Tests.Policies;

/// <summary>The decision matrix's other conditions in virtual time: counted events, fractions, composites, trends and signal thresholds.</summary>
public sealed class ConditionsTests
{
    private static readonly string[] Functions = ["fn-a", "fn-b", "fn-c"];

    private const string Events = "events: { payment-failure: { description: card refused by us }, auth-failure: {} }";

    /// <summary>A scrape nothing runs here: it declares the signals (<c>app.disk</c>, <c>app.error-ratio</c>) the test feeds itself.</summary>
    private const string Scrapes = "scrapes: { app: { url: \"http://127.0.0.1:9/metrics\", interval: 200ms, timeout: 150ms, gauges: { disk: disk_used_bytes } } }";

    [Fact]
    public async Task Count_MoreEventsThanTheLimitInAMinute_FiresWithTheCountsAsEvidence()
    {
        await using var engine = await EngineFixture.StartAsync(componentExtra: Events,
            policies: "{ payments: { when: { count: { events: payment-failure, above: 10, in: 1m }, min-failures: 1 }, severity: P2, mode: notify } }");

        await engine.Engine.ObserveEventAsync("web", "payment-failure", 6, engine.Now);
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        await engine.TickAsync();
        (await engine.IncidentsAsync()).ShouldBeEmpty(); // 6 is not more than 10
        await engine.Engine.ObserveEventAsync("web", "payment-failure", 6, engine.Now);

        var incident = (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        incident.Severity.ShouldBe(Core.Incidents.Severity.P2);
        (await engine.TimelineAsync(incident.Id)).ShouldContain(e => e.Message.StartsWith("policy payments: 12 payment-failure events in the last 1m (limit above 10)", StringComparison.Ordinal));
        (await engine.RollbacksAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Count_EventsOutOfTheWindow_NoLongerCount()
    {
        await using var engine = await EngineFixture.StartAsync(componentExtra: Events,
            policies: "{ payments: { when: { count: { events: payment-failure, above: 10, in: 1m }, min-failures: 1 }, severity: P2, mode: notify } }");

        await engine.Engine.ObserveEventAsync("web", "payment-failure", 6, engine.Now);
        engine.Time.Advance(TimeSpan.FromSeconds(61));
        await engine.TickAsync();
        await engine.Engine.ObserveEventAsync("web", "payment-failure", 6, engine.Now);

        (await engine.IncidentsAsync()).ShouldBeEmpty(); // the first six slid out of the minute
    }

    [Fact]
    public async Task Fraction_MoreThanHalfTheFunctionsFailing_Fires()
    {
        var members = string.Join("\n      ", Functions.Select(m => $"{m}: {{ http: {{ url: \"http://127.0.0.1:9/{m}\" }}, interval: 200ms, timeout: 200ms }}"));
        await using var engine = await EngineFixture.StartAsync(probesExtra: members,
            policies: "{ functions: { when: { fraction: { probes: [fn-a, fn-b, fn-c], above: 50%, for: 400ms }, min-failures: 1 }, severity: P1, mode: notify } }");
        await MembersAsync(engine, a: true, b: true, c: true);

        for (var i = 0; i < 5; i++)
        {
            await MembersAsync(engine, a: false, b: true, c: true);
        }

        (await engine.IncidentsAsync()).ShouldBeEmpty(); // one of three, for a second
        for (var i = 0; i < 3; i++)
        {
            await MembersAsync(engine, a: false, b: false, c: true);
        }

        var incident = (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        (await engine.TimelineAsync(incident.Id)).ShouldContain(e => e.Message.StartsWith("policy functions: 2 of 3 members failing (66.7 %, limit above 50 %): fn-a, fn-b; held for 400ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Composite_AtLeastTwoWarnings_FiresOnTheSecond()
    {
        await using var engine = await EngineFixture.StartAsync(componentExtra: Events, policies: """
            {
              payments: { when: { count: { events: payment-failure, above: 0, in: 1m }, min-failures: 1 }, severity: P3, mode: notify },
              logins: { when: { count: { events: auth-failure, above: 0, in: 1m }, min-failures: 1 }, severity: P3, mode: notify },
              overall: { when: { composite: [ { severity: P0 }, { severity: P3, at-least: 2 } ], min-failures: 1 }, severity: P1, mode: notify }
            }
            """.ReplaceLineEndings(" "));

        await engine.Engine.ObserveEventAsync("web", "payment-failure", 1, engine.Now);
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        await engine.TickAsync();
        var first = (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        (await engine.TimelineAsync(first.Id)).ShouldNotContain(e => e.Message.StartsWith("policy overall", StringComparison.Ordinal));
        await engine.Engine.ObserveEventAsync("web", "auth-failure", 1, engine.Now);
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        await engine.TickAsync();

        (await engine.TimelineAsync(first.Id)).ShouldContain(e => e.Message.StartsWith("policy overall: 0 of 0 (P0 policies) firing, 1 needed; 2 of 2 (P3 policies) firing, 2 needed: logins, payments [met]", StringComparison.Ordinal));
        (await engine.IncidentsAsync()).ShouldHaveSingleItem(); // one incident per episode
    }

    [Fact]
    public async Task Trend_DiskFillingUp_FiresBeforeItIsFull()
    {
        await using var engine = await EngineFixture.StartAsync(componentExtra: Scrapes,
            policies: "{ disk: { when: { trend: { signal: app.disk, reaches: 1e6, within: 1h, over: 5s, min-points: 5 }, min-failures: 1 }, severity: P2, mode: notify } }");

        for (var i = 0; i < 4; i++)
        {
            await engine.Engine.ObserveSignalAsync(new SignalPoint("web", "app.disk", engine.Now, 1000 + (100 * i)));
            engine.Time.Advance(EngineFixture.Interval);
        }

        (await engine.IncidentsAsync()).ShouldBeEmpty(); // four points: fewer than min-points
        await engine.Engine.ObserveSignalAsync(new SignalPoint("web", "app.disk", engine.Now, 1400)); // 500 bytes a second

        var incident = (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        (await engine.TimelineAsync(incident.Id)).ShouldContain(e => e.Message == "policy disk: signal app.disk: fit over 5 values: now 1400, slope 3E+04/min, limit 1E+06: reaches it in 33m17s (horizon 1h); held for 0ms (1 evaluations in a row)");
    }

    [Fact]
    public async Task Trend_FlatDisk_NeverFires()
    {
        await using var engine = await EngineFixture.StartAsync(componentExtra: Scrapes,
            policies: "{ disk: { when: { trend: { signal: app.disk, reaches: 1e6, within: 1h, over: 5s, min-points: 5 }, min-failures: 1 }, severity: P2, mode: notify } }");

        for (var i = 0; i < 50; i++)
        {
            await engine.Engine.ObserveSignalAsync(new SignalPoint("web", "app.disk", engine.Now, 1000));
            engine.Time.Advance(EngineFixture.Interval);
        }

        (await engine.IncidentsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Signal_ErrorRatioAboveTheLimitForItsTime_Fires()
    {
        await using var engine = await EngineFixture.StartAsync(componentExtra: Scrapes,
            policies: "{ errors: { when: { signal: { name: app.error-ratio, above: 10%, for: 300ms } }, severity: P1, mode: notify } }");

        await engine.Engine.ObserveSignalAsync(new SignalPoint("web", "app.error-ratio", engine.Now, 0.5));
        engine.Time.Advance(EngineFixture.Interval);
        await engine.Engine.ObserveSignalAsync(new SignalPoint("web", "app.error-ratio", engine.Now, 0.5));
        (await engine.IncidentsAsync()).ShouldBeEmpty(); // 200 ms above the limit: not yet its 300 ms
        engine.Time.Advance(EngineFixture.Interval);
        await engine.Engine.ObserveSignalAsync(new SignalPoint("web", "app.error-ratio", engine.Now, 0.5));

        var incident = (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        (await engine.TimelineAsync(incident.Id)).ShouldContain(e => e.Message.StartsWith("policy errors: signal app.error-ratio = 0.5, limit above 0.1; held for 400ms", StringComparison.Ordinal));
        engine.Engine.LatestSignals("web").ShouldHaveSingleItem().Value.ShouldBe(0.5);
    }

    /// <summary>One round of the three members' probes, an interval after the last, then a tick of the condition clock.</summary>
    private static async Task MembersAsync(EngineFixture engine, bool a, bool b, bool c)
    {
        engine.Time.Advance(EngineFixture.Interval);
        await engine.SampleAsync(a, "fn-a");
        await engine.SampleAsync(b, "fn-b");
        await engine.SampleAsync(c, "fn-c");
        await engine.TickAsync();
    }
}
