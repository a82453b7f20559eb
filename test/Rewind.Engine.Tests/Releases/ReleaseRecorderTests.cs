using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;
using Rewind.Engine.Releases;
using Rewind.Engine.Runbooks;
using Rewind.Engine.Tests.Policies;

namespace Rewind.Engine.Tests.Releases;

/// <summary>The deploy start a release record keeps, and what a plan that restores to it makes of it.</summary>
public sealed class ReleaseRecorderTests
{
    /// <summary>web's plan restores a database to just before the release being left, then switches.</summary>
    private const string RestoringPlan = """
        plan:
              - command: { argv: [/usr/bin/restore-db, --time, "{{from.recorded-at}}"] }
              - switch: {}
        """;

    [Fact]
    public async Task RecordAsync_DeployingThenDeployed_KeepsTheStartThatThePlanRestoresTo()
    {
        await using var engine = await EngineFixture.StartAsync(componentExtra: RestoringPlan);
        await engine.RecordAsync("v1");
        await engine.Store.SetReleaseStateAsync("web", "v1", ReleaseState.Stable, engine.Now);
        var recorder = engine.Get<ReleaseRecorder>();
        var started = engine.Now.AddMilliseconds(123); // the store keeps milliseconds
        engine.Time.SetUtcNow(started);

        await recorder.RecordAsync("web", new ReleaseRecordRequest("v2", Deploying: true, "ci"), CancellationToken.None);
        engine.Time.Advance(TimeSpan.FromSeconds(42));
        var deployed = (await recorder.RecordAsync("web", new ReleaseRecordRequest("v2", Deploying: false, "ci"), CancellationToken.None)).Recorded.ShouldNotBeNull();
        var planned = await engine.Get<RollbackCoordinator>().PlanAsync("web", new PlanOptions());

        deployed.RecordedAt.ShouldBe(started.AddSeconds(42));
        deployed.DeployStartedAt.ShouldBe(started);
        planned.Refusal.ShouldBeNull();
        planned.Plan!.Steps[0].Describe().ShouldStartWith($"argv [\"/usr/bin/restore-db\", \"--time\", \"{started.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\"]");
    }

    [Fact]
    public async Task PolicyFires_PlanNeedsADeployStartNotKnown_NothingRunsAndAHumanIsPaged()
    {
        await using var engine = await EngineFixture.StartAsync(policies: DecisionEngineTests.AutoPolicy, componentExtra: RestoringPlan);
        await engine.StableV1ThenV2Async(); // recorded straight into the store, as a release only seen serving: no deploy start

        await engine.SamplesAsync(3, success: false);

        var incident = (await engine.IncidentsAsync()).ShouldHaveSingleItem();
        var escalation = (await engine.TimelineAsync(incident.Id)).Where(e => e.Kind == TimelineKinds.Escalation).ShouldHaveSingleItem();
        escalation.Message.ShouldStartWith("no rollback: the plan of web needs a time that is not known: {{from.recorded-at}} (when the release being left started deploying): v2 has no recorded deploy start");
        escalation.Message.ShouldEndWith("paging a human");
        (await engine.RollbacksAsync()).ShouldBeEmpty();
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }
}
