using Rewind.Core.Policies;
using Rewind.Core.Storage;
using Rewind.Engine.Policies;
using Rewind.Engine.Runbooks;

namespace Rewind.Engine.Tests.Policies;

/// <summary>
/// The decision engine's facts held in memory: an observation in the steady state reads nothing from the store, and a
/// write of this process (a release recorded, a rollback requested, a maintenance declared) is seen by the next one.
/// </summary>
public sealed class DecisionFactsTests
{
    private const string Policy = "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P2, mode: auto } }";

    /// <summary>The reads of one facts read: the component, its release, its latest rollback, its maintenance windows.</summary>
    private const int FactsRead = 4;

    [Fact]
    public async Task Observe_SteadyState_ReadsNothingFromTheStore()
    {
        CountingStore counting = null!;
        await using var engine = await EngineFixture.StartAsync(policies: Policy, wrapStore: s => CountingStore.Wrap(s, out counting));
        await engine.StableV1ThenV2Async();
        await engine.SamplesAsync(1, success: true); // the first observation reads the facts
        var before = counting.Reads;

        await engine.SamplesAsync(5, success: true); // passing, then failing below the rule: no transition
        await engine.SamplesAsync(1, success: false);
        await engine.SamplesAsync(1, success: true);

        counting.Reads.ShouldBe(before);
    }

    [Fact]
    public async Task Observe_FactsOlderThanTheirMaxAge_ReadsThemAgainOnce()
    {
        CountingStore counting = null!;
        await using var engine = await EngineFixture.StartAsync(policies: Policy, wrapStore: s => CountingStore.Wrap(s, out counting));
        await engine.StableV1ThenV2Async();
        await engine.SamplesAsync(1, success: true);
        var before = counting.Reads;

        engine.Time.Advance(DecisionFacts.MaxAge);
        await engine.SamplesAsync(3, success: true);

        counting.Reads.ShouldBe(before + FactsRead);
    }

    [Fact]
    public async Task Observe_ReleaseRecordedMeanwhile_TheNextSampleJudgesTheNewRelease()
    {
        await using var engine = await EngineFixture.StartAsync(policies: Policy.Replace("mode: auto", "mode: notify", StringComparison.Ordinal));
        await engine.StableV1ThenV2Async();
        await engine.SamplesAsync(2, success: false); // a streak on v2, one sample short of firing

        await engine.RecordAsync("v3");
        await engine.SamplesAsync(1, success: false);

        engine.Engine.StateOf("web", "down").ConsecutiveFailures.ShouldBe(1, "the streak of v2 says nothing of v3");
        (await engine.IncidentsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Observe_MaintenanceDeclaredMeanwhile_TheNextSampleMovesNoPolicy()
    {
        await using var engine = await EngineFixture.StartAsync(policies: Policy);
        await engine.StableV1ThenV2Async();
        await engine.SamplesAsync(1, success: true);

        await engine.Store.DeclareMaintenanceAsync(new MaintenanceWindow("web", engine.Now, engine.Now.AddHours(1), "migration", "alice"));
        await engine.SamplesAsync(3, success: false);

        engine.Engine.StateOf("web", "down").ConsecutiveFailures.ShouldBe(0);
        (await engine.IncidentsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Observe_RollbackRequestedMeanwhile_TheNextSampleReadsTheFactsAgainAndActsOnNothing()
    {
        CountingStore counting = null!;
        await using var engine = await EngineFixture.StartAsync(policies: Policy, wrapStore: s => CountingStore.Wrap(s, out counting));
        await engine.StableV1ThenV2Async();
        await engine.SamplesAsync(1, success: true);
        var requested = await engine.Get<RollbackCoordinator>().RequestAsync("web", "by hand", "alice", null, new Core.Runbooks.PlanOptions(), null);
        requested.Rollback.ShouldNotBeNull();
        var incident = (await engine.IncidentsAsync()).ShouldHaveSingleItem(); // the request's own
        var entries = (await engine.TimelineAsync(incident.Id)).Count;
        var before = counting.Reads;

        await engine.SamplesAsync(1, success: false);
        var afterOne = counting.Reads;
        await engine.SamplesAsync(4, success: false); // the policy's condition holds: a rollback acts, so nothing fires

        afterOne.ShouldBe(before + FactsRead, "the request is seen by the next sample");
        counting.Reads.ShouldBe(afterOne);
        (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        (await engine.TimelineAsync(incident.Id)).Count.ShouldBe(entries, "the policy fired while a rollback acts: nothing written, nothing done");
        engine.Engine.StateOf("web", "down").Firing.ShouldBeTrue();
    }

    [Fact]
    public async Task RefreshAsync_WriteOfAnotherProcess_IsSeenAfterTheRefresh()
    {
        await using var engine = await EngineFixture.StartAsync(policies: Policy);
        await engine.StableV1ThenV2Async();
        var facts = engine.Get<DecisionFacts>();
        (await facts.GetAsync("web")).Version.ShouldBe("v2");
        var other = Storage.StoreFactory.Open("sqlite:" + Path.Combine(engine.Root, "rewind.db"), engine.Time);
        await other.RecordReleaseAsync(new Core.Releases.Release("web", "v3", Core.Releases.ReleaseState.Deploying, engine.Now));
        await ((IAsyncDisposable)other).DisposeAsync();

        var held = await facts.GetAsync("web");
        await facts.RefreshAsync();
        var refreshed = await facts.GetAsync("web");

        held.Version.ShouldBe("v2", "another process's write is not counted by this process's store");
        (refreshed.Version, refreshed.Release?.State).ShouldBe(("v3", Core.Releases.ReleaseState.Deploying));
    }
}
