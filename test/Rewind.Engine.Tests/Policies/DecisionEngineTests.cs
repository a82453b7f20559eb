using Rewind.Core.Incidents;
using Rewind.Core.Policies;
using Rewind.Core.Runbooks;
using Rewind.Engine.Incidents;

namespace Rewind.Engine.Tests.Policies;

/// <summary>The decision engine in virtual time: samples fed one interval apart, the store read after each step.</summary>
public sealed class DecisionEngineTests
{
    internal const string AutoPolicy = "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P0, mode: auto } }";

    [Fact]
    public async Task Fire_WithoutKnownGoodRelease_OneIncidentEscalatedAndNothingTouched()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy);
        await engine.RecordAsync("v2");

        await engine.SamplesAsync(3, success: false);

        var incident = (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        incident.Severity.ShouldBe(Severity.P0);
        incident.Status.ShouldBe(IncidentStatus.Investigating);
        var timeline = await engine.TimelineAsync(incident.Id);
        timeline.ShouldContain(e => e.Kind == TimelineKinds.Escalation && e.Message.Contains("no known-good release", StringComparison.Ordinal) && e.Message.Contains("paging a human", StringComparison.Ordinal));
        (await engine.RollbacksAsync()).ShouldBeEmpty();
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));

        await engine.SamplesAsync(20, success: false); // the probe keeps failing: the policy does not fire again in this episode

        (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        (await engine.TimelineAsync(incident.Id)).Count(e => e.Kind == TimelineKinds.Escalation).ShouldBe(1);
    }

    [Fact]
    public async Task Fire_FewerFailuresThanTheRule_OpensNothing()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy);
        await engine.RecordAsync("v2");

        await engine.SamplesAsync(1, success: false); // one failure: below min-failures and failing-for
        await engine.SamplesAsync(1, success: true);
        await engine.SamplesAsync(1, success: false); // a new streak starts from nothing

        (await engine.IncidentsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Fire_NotifyMode_OpensIncidentWithoutRollback()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy.Replace("mode: auto", "mode: notify", StringComparison.Ordinal));
        await engine.StableV1ThenV2Async();

        await engine.SamplesAsync(3, success: false);

        var incident = (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        (await engine.TimelineAsync(incident.Id)).ShouldContain(e => e.Kind == TimelineKinds.Decision && e.Message == "policy down is notify-only: no rollback");
        (await engine.RollbacksAsync()).ShouldBeEmpty();
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task Resolve_ByHand_ClosesTheIncidentWithTheNoteAndRefusesTwice()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy);
        await engine.RecordAsync("v2");
        await engine.SamplesAsync(3, success: false);
        var opened = (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        var resolutions = engine.Get<ResolveWorkflow>();

        var resolved = await resolutions.ResolveAsync(opened.Id, "alice", "fixed forward with v3", falsePositive: false);
        var again = await resolutions.ResolveAsync(opened.Id, "alice", "again", falsePositive: false);

        resolved.Value.ShouldNotBeNull().Status.ShouldBe(IncidentStatus.Resolved);
        (await engine.TimelineAsync(opened.Id))[^1].Message.ShouldBe("resolved by alice: fixed forward with v3");
        again.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Conflict);
        again.Refusal.Title.ShouldBe("already resolved");
    }

    [Fact]
    public async Task Resolve_FalsePositiveAfterResolution_MarksItOnceAndKeepsTheResolutionTime()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy);
        var incident = await engine.Store.OpenIncidentAsync("web", Severity.P2, "web slow", "health", "v2", engine.Now, "test");
        var resolutions = engine.Get<ResolveWorkflow>();
        var resolved = (await resolutions.ResolveAsync(incident.Id, "alice", "fixed forward", falsePositive: false)).Value.ShouldNotBeNull();

        var plain = await resolutions.ResolveAsync(incident.Id, "bob", "again", falsePositive: false);
        var marked = await resolutions.ResolveAsync(incident.Id, "bob", "the probe flapped; users saw nothing", falsePositive: true);
        var twice = await resolutions.ResolveAsync(incident.Id, "bob", "again", falsePositive: true);

        plain.Refusal.ShouldNotBeNull().Detail.ShouldEndWith($"; to mark it a false positive, resolve it again with falsePositive (`rewind incident resolve {incident.Id} --false-positive --note TEXT`)");
        var after = marked.Value.ShouldNotBeNull();
        (after.Status, after.FalsePositive, after.ResolvedAt).ShouldBe((IncidentStatus.Resolved, true, resolved.ResolvedAt));
        (await engine.TimelineAsync(incident.Id))[^1].Message.ShouldBe("marked a false positive by bob after its resolution: the probe flapped; users saw nothing");
        twice.Refusal.ShouldNotBeNull().Detail.ShouldEndWith("as a false positive");
    }

    [Fact]
    public async Task Recover_NotifyModeEpisodeEnds_ResolvesWithoutRollback()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy.Replace("mode: auto", "mode: notify", StringComparison.Ordinal));
        await engine.RecordAsync("v2");
        await engine.SamplesAsync(3, success: true);
        await engine.SamplesAsync(3, success: false);
        var opened = (await engine.IncidentsAsync()).ShouldHaveSingleItem();

        await engine.SamplesAsync(5, success: true);

        var resolved = await engine.Store.GetIncidentAsync(opened.Id);
        resolved.ShouldNotBeNull().Status.ShouldBe(IncidentStatus.Resolved);
        (await engine.TimelineAsync(opened.Id))[^1].Message.ShouldBe("every policy of web has recovered; incident resolved without a rollback");
        (await engine.RollbacksAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Fire_AgainInsideCooldown_DefersTheSecondAutomaticRollbackAndPages()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy.Replace("severity: P0", "cooldown: 1h", StringComparison.Ordinal));
        await engine.StableV1ThenV2Async();
        await engine.SamplesAsync(3, success: false);
        var first = (await engine.RollbacksAsync()).ShouldHaveSingleItem();
        (await engine.RunRollbackAsync(first.Id)).Status.ShouldBe(RollbackStatus.Succeeded); // v1 answers healthy
        engine.Time.Advance(TimeSpan.FromMinutes(5));

        await engine.SamplesAsync(3, success: false); // and now v1 fails too: rolling back again would be flapping

        var incidents = await engine.IncidentsAsync();
        incidents.Count.ShouldBe(2);
        var second = incidents.Single(i => i.IsOpen);
        (await engine.TimelineAsync(second.Id)).ShouldContain(e => e.Message.StartsWith($"automatic rollback deferred: {first.Id} ran", StringComparison.Ordinal) && e.Message.Contains("inside the cooldown of 1h", StringComparison.Ordinal));
        (await engine.RollbacksAsync()).ShouldHaveSingleItem();
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
    }

    [Fact]
    public async Task Fire_AfterTheAutomaticRollbackLimit_PagesInsteadOfRollingBack()
    {
        await using var engine = await EngineFixture.StartAsync(
            policies: AutoPolicy.Replace("severity: P0", "cooldown: 1ms", StringComparison.Ordinal),
            componentExtra: "auto-rollback-limit: { count: 1, window: 1h }");
        await engine.StableV1ThenV2Async();
        await engine.SamplesAsync(3, success: false);
        var first = (await engine.RollbacksAsync()).ShouldHaveSingleItem();
        (await engine.RunRollbackAsync(first.Id)).Status.ShouldBe(RollbackStatus.Succeeded);
        engine.Time.Advance(TimeSpan.FromMinutes(5));

        await engine.SamplesAsync(3, success: false);

        var second = (await engine.IncidentsAsync()).Single(i => i.IsOpen);
        (await engine.TimelineAsync(second.Id)).ShouldContain(e => e.Kind == TimelineKinds.Escalation && e.Message == "automatic rollback limit reached: 1 automatic rollbacks of web in the last 1h; no more without a human");
        (await engine.RollbacksAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Fire_ShadowPolicy_RecordsWhatItWouldHaveDoneAndTouchesNothing()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy.Replace("mode: auto", "mode: auto, shadow: true", StringComparison.Ordinal));
        await engine.StableV1ThenV2Async();

        await engine.SamplesAsync(3, success: false);

        var decision = (await engine.Store.GetShadowDecisionsAsync(10, "web")).ShouldHaveSingleItem();
        decision.Policy.ShouldBe("down");
        decision.Release.ShouldBe("v2");
        decision.Action.ShouldBe("would have opened a P0 incident and rolled web back from v2 to v1");
        decision.Evidence.ShouldStartWith("probe health failing for 400ms (3 consecutive failures)");
        (await engine.IncidentsAsync()).ShouldBeEmpty();
        (await engine.RollbacksAsync()).ShouldBeEmpty();
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task Maintenance_SuppressesPoliciesUntilItEnds()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy);
        await engine.Store.DeclareMaintenanceAsync(new MaintenanceWindow("web", engine.Now, engine.Now + TimeSpan.FromMinutes(10), "schema migration", "alice"));
        await engine.StableV1ThenV2Async();

        await engine.SamplesAsync(10, success: false); // 2 s of failures inside the window

        (await engine.IncidentsAsync()).ShouldBeEmpty();
        (await engine.Store.EndMaintenanceAsync("web", engine.Now)).ShouldBe(1);
        await engine.SamplesAsync(3, success: false);
        (await engine.IncidentsAsync()).ShouldHaveSingleItem().Policy.ShouldBe("down");
    }

    [Fact]
    public async Task FixForward_AfterRefusedRollback_NewReleaseHoldsCleanAndResolvesTheIncident()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy);
        await engine.RecordAsync("v2");
        await engine.SamplesAsync(3, success: false);
        var escalated = (await engine.IncidentsAsync()).ShouldHaveSingleItem();

        await engine.RecordAsync("v3"); // people deploy a fix
        await engine.SamplesAsync(5, success: true);

        (await engine.Store.GetIncidentAsync(escalated.Id)).ShouldNotBeNull().Status.ShouldBe(IncidentStatus.Resolved);
        (await engine.TimelineAsync(escalated.Id))[^1].Message.ShouldBe("web is healthy on v3: every policy has held clean since it was deployed; incident resolved");
        (await engine.RollbacksAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Cooldown_PolicyStillHoldsWhenItEnds_RollsBackThen()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy.Replace("severity: P0", "cooldown: 4s", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(engine.AppRoot, "releases", "v0"));
        await engine.RecordAsync("v0");
        await engine.Store.SetReleaseStateAsync("web", "v0", Core.Releases.ReleaseState.Stable, engine.Now - TimeSpan.FromMinutes(2));
        await engine.StableV1ThenV2Async();
        await engine.SamplesAsync(3, success: false);
        var first = (await engine.RollbacksAsync()).ShouldHaveSingleItem();
        (await engine.RunRollbackAsync(first.Id)).Status.ShouldBe(RollbackStatus.Succeeded);

        await engine.SamplesAsync(3, success: false); // v1 fails too, inside the cooldown: deferred, not dropped
        var deferred = (await engine.IncidentsAsync()).Single(i => i.IsOpen);
        (await engine.TimelineAsync(deferred.Id)).ShouldContain(e => e.Message.StartsWith("automatic rollback deferred", StringComparison.Ordinal));
        for (var second = 0; second < 4 && (await engine.RollbacksAsync()).Count == 1; second++)
        {
            await engine.SamplesAsync(5, success: false); // a second of failures, then the condition clock's tick
            await engine.TickAsync();
        }

        var rollbacks = await engine.RollbacksAsync();
        rollbacks.Count.ShouldBe(2);
        var next = rollbacks.Single(r => r.Id != first.Id);
        next.FromVersion.ShouldBe("v1");
        next.ToVersion.ShouldBe("v0");
        next.RequestedAt.ShouldBeGreaterThanOrEqualTo(first.RequestedAt + TimeSpan.FromSeconds(4));
        next.RequestedAt.ShouldBeLessThan(first.RequestedAt + TimeSpan.FromSeconds(5)); // at the first tick after the cooldown
        next.IncidentId.ShouldBe(deferred.Id);
    }

    [Fact]
    public async Task Cooldown_PolicyRecoveredWhenItEnds_TheHoldLapses()
    {
        await using var engine = await EngineFixture.StartAsync(policies: AutoPolicy.Replace("severity: P0", "cooldown: 4s", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(engine.AppRoot, "releases", "v0"));
        await engine.RecordAsync("v0");
        await engine.Store.SetReleaseStateAsync("web", "v0", Core.Releases.ReleaseState.Stable, engine.Now - TimeSpan.FromMinutes(2));
        await engine.StableV1ThenV2Async();
        await engine.SamplesAsync(3, success: false);
        var first = (await engine.RollbacksAsync()).ShouldHaveSingleItem();
        (await engine.RunRollbackAsync(first.Id)).Status.ShouldBe(RollbackStatus.Succeeded);
        await engine.SamplesAsync(3, success: false); // deferred

        for (var second = 0; second < 6; second++)
        {
            await engine.SamplesAsync(5, success: true); // v1 is healthy again before the cooldown ends
            await engine.TickAsync();
        }

        (await engine.RollbacksAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Severity_P1PolicyFiresIntoOpenP3Incident_RaisesItToP1()
    {
        var policies = "{ slow: { when: { probe: health, failing-for: 200ms, min-failures: 1 }, severity: P3, mode: notify }, down: { when: { probe: health, failing-for: 1500ms, min-failures: 3 }, severity: P1, mode: notify } }";
        await using var engine = await EngineFixture.StartAsync(policies: policies);
        await engine.RecordAsync("v2");

        await engine.SamplesAsync(3, success: false);
        (await engine.IncidentsAsync()).ShouldHaveSingleItem().Severity.ShouldBe(Severity.P3); // slow fired; down not yet
        await engine.SamplesAsync(6, success: false);

        var raised = (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        raised.Severity.ShouldBe(Severity.P1);
        raised.Policy.ShouldBe("slow");
        (await engine.TimelineAsync(raised.Id)).ShouldContain(e => e.Kind == TimelineKinds.Escalation && e.Message == "severity raised from P3 to P1: policy down (P1) fired into this incident");
    }
}
