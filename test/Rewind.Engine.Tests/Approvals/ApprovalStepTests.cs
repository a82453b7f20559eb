using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Engine.Approvals;
using Rewind.Engine.Runbooks;

namespace Rewind.Engine.Tests.Approvals;

/// <summary>
/// Approval steps (gates in the middle of a plan) in virtual time. The executor runs a plan synchronously up to the
/// gate's first wait (the store is SQLite), so each <see cref="EngineFixture.Time"/> advance of a poll interval is one
/// more look at the stored decisions.
/// </summary>
public sealed class ApprovalStepTests
{
    private static readonly Decider Alice = new("alice", ["admin"]);
    private static readonly Decider Carol = new("carol", ["dba"]);
    private static readonly Decider Vera = new("vera", ["viewer"]);

    private static string GatePlan(string gate = "") =>
        $$$"""plan: [ { name: data safety, approval: { any-of: [dba], message: "Switch {{component}} to {{target.version}}?"{{{gate}}} } }, { switch: {} } ]""";

    [Fact]
    public async Task Gate_ApprovedBySomeoneElseWithTheRole_PassesAndTheRollbackGoesOn()
    {
        await using var engine = await EngineFixture.StartAsync(componentExtra: GatePlan(", decide-within: 1h"));
        await engine.StableV1ThenV2Async();
        var approvals = engine.Get<ApprovalWorkflow>();
        var requested = await ApprovalWorkflowTests.RequestAsync(engine, "checkout errors");

        var run = engine.Get<RollbackExecutor>().RunAsync(requested.Id);
        var waiting = (await engine.Store.GetRollbackAsync(requested.Id))!;
        var self = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Alice, null));
        var viewer = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Vera, null));
        engine.Time.Advance(ApprovalStepRunner.PollInterval);
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2")); // held at the gate
        var approved = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Carol, "backup checked"));
        engine.Time.Advance(ApprovalStepRunner.PollInterval);
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        GateDecisions.WaitingGate(waiting).ShouldNotBeNull().Index.ShouldBe(0);
        waiting.Steps[0].Plan.Describe().ShouldBe("data safety: approval gate \"Switch web to v1?\": needs an approval by any of dba, not the requester's own; decide within 1h, then fail");
        self.Refusal.ShouldNotBeNull().Detail.ShouldBe("alice asked for this rollback; the two-person rule needs someone else to approve it");
        viewer.Refusal.ShouldNotBeNull().Detail.ShouldContain("vera has viewer; approving needs one of dba");
        approved.Value.ShouldNotBeNull();
        var done = (await engine.Store.GetRollbackAsync(requested.Id))!;
        done.Status.ShouldBe(RollbackStatus.Succeeded);
        done.Steps[0].Output.ShouldBe("approved by carol (dba)");
        GateDecisions.WaitingGate(done).ShouldBeNull();
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        var timeline = await engine.TimelineAsync(requested.IncidentId!);
        timeline.Where(e => e.Milestone == TimelineMilestones.ApprovalNeeded).ShouldHaveSingleItem().Message.ShouldBe(
            $"{requested.Id} step 1/3 waits for approval (data safety): \"Switch web to v1?\" It needs an approval by any of dba, not the requester's own: `rewind approve {requested.Id}` or `rewind deny {requested.Id}`; decide by 2026-11-22 11:00:00Z (within 1h), then the step fails and so does the rollback");
        timeline.ShouldContain(e => e.Message == $"{requested.Id} step 1/3 (approval) approved by carol (dba): backup checked; the gate passes" && e.Actor == "carol");
    }

    [Fact]
    public async Task Gate_Denied_FailsTheStepAndTheRollbackAndPages()
    {
        await using var engine = await EngineFixture.StartAsync(componentExtra: GatePlan());
        await engine.StableV1ThenV2Async();
        var approvals = engine.Get<ApprovalWorkflow>();
        var requested = await ApprovalWorkflowTests.RequestAsync(engine, "checkout errors");

        var run = engine.Get<RollbackExecutor>().RunAsync(requested.Id);
        await approvals.DecideAsync(new ApprovalRequest(requested.Id, false, Carol, "the backup is not finished"));
        engine.Time.Advance(ApprovalStepRunner.PollInterval);
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        var late = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Carol, null));

        var failed = (await engine.Store.GetRollbackAsync(requested.Id))!;
        failed.Status.ShouldBe(RollbackStatus.Failed);
        failed.Error.ShouldBe("step 1 (approval) failed: denied by carol: the backup is not finished");
        failed.Steps.Select(s => s.Status).ShouldBe([StepStatus.Failed, StepStatus.Pending, StepStatus.Pending]);
        late.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Conflict);
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
        (await engine.TimelineAsync(requested.IncidentId!)).ShouldContain(e => e.Milestone == TimelineMilestones.RollbackFailed && e.Kind == TimelineKinds.Escalation);
        (await engine.Store.GetActiveRollbacksAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Gate_NobodyDecides_FailsExactlyAtTheDeadline()
    {
        await using var engine = await EngineFixture.StartAsync(componentExtra: GatePlan(", decide-within: 1s"));
        await engine.StableV1ThenV2Async();
        var requested = await ApprovalWorkflowTests.RequestAsync(engine, "checkout errors");

        var run = engine.Get<RollbackExecutor>().RunAsync(requested.Id);
        engine.Time.Advance(ApprovalStepRunner.PollInterval);
        (await engine.Store.GetRollbackAsync(requested.Id))!.Status.ShouldBe(RollbackStatus.Running); // half its time
        engine.Time.Advance(ApprovalStepRunner.PollInterval);
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        var failed = (await engine.Store.GetRollbackAsync(requested.Id))!;
        failed.Error.ShouldBe("step 1 (approval) failed: no decision within 1s; still waiting for an approval by any of dba");
        (failed.Steps[0].FinishedAt - failed.Steps[0].StartedAt).ShouldBe(TimeSpan.FromSeconds(1));
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task Gate_EscalateAndWait_EscalatesOnceThenPassesOnApproval()
    {
        await using var engine = await EngineFixture.StartAsync(componentExtra: GatePlan(", decide-within: 1s, on-timeout: escalate-and-wait"));
        await engine.StableV1ThenV2Async();
        var requested = await ApprovalWorkflowTests.RequestAsync(engine, "checkout errors");

        var run = engine.Get<RollbackExecutor>().RunAsync(requested.Id);
        for (var poll = 0; poll < 8; poll++)
        {
            engine.Time.Advance(ApprovalStepRunner.PollInterval); // 4 s: past the deadline, polled again and again
        }

        var stillWaiting = (await engine.Store.GetRollbackAsync(requested.Id))!;
        await engine.Get<ApprovalWorkflow>().DecideAsync(new ApprovalRequest(requested.Id, true, Carol, null));
        engine.Time.Advance(ApprovalStepRunner.PollInterval);
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        GateDecisions.WaitingGate(stillWaiting).ShouldNotBeNull();
        (await engine.Store.GetRollbackAsync(requested.Id))!.Status.ShouldBe(RollbackStatus.Succeeded);
        var escalation = (await engine.TimelineAsync(requested.IncidentId!)).Where(e => e.Kind == TimelineKinds.Escalation).ShouldHaveSingleItem();
        escalation.Message.ShouldContain($"{requested.Id} step 1/3: no decision within 1s; still waiting for an approval by any of dba; a human must decide (`rewind approve {requested.Id}` or `rewind deny {requested.Id}`)");
        escalation.At.ShouldBe(EngineFixture.Start + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Gate_AcrossARestart_KeepsItsDecisionsAndIsAnnouncedOnce()
    {
        await using var first = await EngineFixture.StartAsync(componentExtra: GatePlan(", decide-within: 1h"));
        await first.StableV1ThenV2Async();
        var requested = await ApprovalWorkflowTests.RequestAsync(first, "checkout errors");
        using var shutdown = new CancellationTokenSource();
        var stopped = first.Get<RollbackExecutor>().RunAsync(requested.Id, shutdown.Token);
        await StopAsync(first, requested.Id, shutdown, stopped); // the first controller stops while the gate waits

        await using var second = await EngineFixture.StartAsync(componentExtra: GatePlan(", decide-within: 1h"), store: StoreOf(first), at: first.Now + TimeSpan.FromMinutes(5));
        var resumed = second.Get<RollbackExecutor>().RunAsync(requested.Id);
        var waiting = (await second.Store.GetRollbackAsync(requested.Id))!;
        await second.Get<ApprovalWorkflow>().DecideAsync(new ApprovalRequest(requested.Id, true, Carol, "after the restart"));
        second.Time.Advance(ApprovalStepRunner.PollInterval);
        await resumed.WaitAsync(TimeSpan.FromSeconds(30));

        waiting.Steps[0].Attempts.ShouldBe(2);
        GateDecisions.WaitingGate(waiting).ShouldNotBeNull();
        var done = (await second.Store.GetRollbackAsync(requested.Id))!;
        done.Status.ShouldBe(RollbackStatus.Succeeded);
        done.Steps[0].Output.ShouldBe("approved by carol (dba)");
        (await second.TimelineAsync(requested.IncidentId!)).Count(e => e.Milestone == TimelineMilestones.ApprovalNeeded).ShouldBe(1); // not announced again
    }

    [Fact]
    public async Task Gate_DeadlinePassedWhileTheControllerWasDown_FailsAtOnceAfterTheRestart()
    {
        await using var first = await EngineFixture.StartAsync(componentExtra: GatePlan(", decide-within: 3s"));
        await first.StableV1ThenV2Async();
        var requested = await ApprovalWorkflowTests.RequestAsync(first, "checkout errors");
        using var shutdown = new CancellationTokenSource();
        var stopped = first.Get<RollbackExecutor>().RunAsync(requested.Id, shutdown.Token);
        await StopAsync(first, requested.Id, shutdown, stopped);

        await using var second = await EngineFixture.StartAsync(componentExtra: GatePlan(", decide-within: 3s"), store: StoreOf(first), at: first.Now + TimeSpan.FromSeconds(3.5));
        await second.Get<RollbackExecutor>().RunAsync(requested.Id).WaitAsync(TimeSpan.FromSeconds(30));

        var failed = (await second.Store.GetRollbackAsync(requested.Id))!;
        failed.Error.ShouldBe("step 1 (approval) failed: no decision within 3s; still waiting for an approval by any of dba");
        failed.Steps[0].Attempts.ShouldBe(2);
        (failed.Steps[0].FinishedAt - failed.Steps[0].StartedAt).ShouldBe(TimeSpan.Zero); // counted from the first opening, not the restart
    }

    /// <summary>A shutdown while the gate waits: the run ends (paused, or cancelled) and leaves the gate running in the store.</summary>
    private static async Task StopAsync(EngineFixture engine, string id, CancellationTokenSource shutdown, Task run)
    {
        await shutdown.CancelAsync();
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            // how a shutdown ends a run in the executor's loop
        }

        (await engine.Store.GetRollbackAsync(id))!.Steps[0].Status.ShouldBe(StepStatus.Running);
    }

    private static string StoreOf(EngineFixture engine) => "sqlite:" + Path.Combine(engine.Root, "rewind.db");
}
