using Rewind.Core.Access;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Engine.Approvals;
using Rewind.Engine.Runbooks;

namespace Rewind.Engine.Tests.Approvals;

/// <summary>The authorisation matrix through the engine's workflows: waiting, the two-person rule, roles, denial, the decision clock.</summary>
public sealed class ApprovalWorkflowTests
{
    private const string ManualRule = "approvals: [ { when: { policies: [manual] }, any-of: [approver], decide-within: 1h } ]";

    private static readonly Decider Alice = new("alice", [Roles.Admin]);
    private static readonly Decider Carol = new("carol", [Roles.Approver]);
    private static readonly Decider Vera = new("vera", [Roles.Viewer]);

    [Fact]
    public async Task ManualRollback_WaitsTouchingNothing_UntilSomeoneElseWithTheRoleApproves()
    {
        await using var engine = await EngineFixture.StartAsync(extra: ManualRule);
        await engine.StableV1ThenV2Async();
        var approvals = engine.Get<ApprovalWorkflow>();

        var requested = await RequestAsync(engine, "checkout errors");
        var selfApproval = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Alice, null));
        var viewerApproval = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Vera, null));
        var second = await engine.Get<RollbackCoordinator>().RequestAsync("web", "again", "alice", null, new PlanOptions(), null);
        var approved = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Carol, "confirmed with the payments team"));
        var again = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Carol, null));

        requested.Status.ShouldBe(RollbackStatus.Awaiting);
        selfApproval.Refusal.ShouldBe(new Refusal(RefusalKind.Forbidden, "not allowed to decide", "alice asked for this rollback; the two-person rule needs someone else to approve it"));
        viewerApproval.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Forbidden);
        viewerApproval.Refusal.Detail.ShouldContain("vera has viewer; approving needs one of approver");
        second.ConflictId.ShouldBe(requested.Id); // the waiting rollback holds the lease: no second actor
        approved.Value.ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Pending);
        again.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Conflict); // it waits no more
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2")); // approving releases it; the executor acts
        (await engine.RunRollbackAsync(requested.Id)).Status.ShouldBe(RollbackStatus.Succeeded);
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        var timeline = await engine.TimelineAsync(requested.IncidentId!);
        timeline.ShouldContain(e => e.Message.Contains($"it waits for an approval by any of approver (approval rule 1, two-person): `rewind approve {requested.Id}`", StringComparison.Ordinal));
        timeline.ShouldContain(e => e.Message == $"{requested.Id} approved by carol (approver): confirmed with the payments team" && e.Actor == "carol");
        timeline.ShouldContain(e => e.Message.StartsWith($"{requested.Id} has every approval it needs (carol); it runs now", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Decide_UnknownOrFinishedRollback_IsRefusedWithItsKind()
    {
        await using var engine = await EngineFixture.StartAsync(extra: ManualRule);
        await engine.StableV1ThenV2Async();
        var approvals = engine.Get<ApprovalWorkflow>();
        var requested = await RequestAsync(engine, "checkout errors");
        (await approvals.DecideAsync(new ApprovalRequest(requested.Id, false, Carol, null))).Value.ShouldNotBeNull();

        var unknown = await approvals.DecideAsync(new ApprovalRequest("RB-2026-11-22-9999", true, Carol, null));
        var cancelled = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Carol, null));
        var tooLong = await approvals.DecideAsync(new ApprovalRequest((await RequestAsync(engine, "again")).Id, true, Carol, new string('x', 2001)));

        unknown.Refusal.ShouldBe(new Refusal(RefusalKind.NotFound, "no such rollback", "no rollback RB-2026-11-22-9999"));
        cancelled.Refusal.ShouldBe(new Refusal(RefusalKind.Conflict, "not waiting for approval", $"{requested.Id} is cancelled; only a rollback waiting for approval (or at an approval step) can be approved or denied"));
        tooLong.Refusal.ShouldBe(new Refusal(RefusalKind.Invalid, "invalid decision", "note: at most 2000 characters"));
    }

    [Fact]
    public async Task Deny_CancelsTouchingNothingAndFreesTheLease()
    {
        await using var engine = await EngineFixture.StartAsync(extra: ManualRule);
        await engine.StableV1ThenV2Async();
        var requested = await RequestAsync(engine, "checkout errors");

        var denied = await engine.Get<ApprovalWorkflow>().DecideAsync(new ApprovalRequest(requested.Id, false, Carol, "the errors are from the card network, not us"));
        var next = await RequestAsync(engine, "second try");

        denied.Value.ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Cancelled);
        denied.Value.Error.ShouldBe("denied by carol: the errors are from the card network, not us");
        (await engine.TimelineAsync(requested.IncidentId!)).ShouldContain(e => e.Message == $"{requested.Id} denied by carol (approver): the errors are from the card network, not us; nothing was touched");
        next.Status.ShouldBe(RollbackStatus.Awaiting);
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task AllOf_TwoDifferentPeople_ThenItRuns()
    {
        await using var engine = await EngineFixture.StartAsync(extra: "approvals: [ { all-of: [tech-lead, devops-lead] } ]");
        await engine.StableV1ThenV2Async();
        var approvals = engine.Get<ApprovalWorkflow>();
        var requested = await RequestAsync(engine, "bad deploy");

        var afterTina = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, new Decider("tina", ["tech-lead", "devops-lead"]), null));
        var afterDora = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, new Decider("dora", ["devops-lead"]), null));

        afterTina.Value.ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Awaiting);
        afterDora.Value.ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Pending);
    }

    [Fact]
    public async Task DecisionTimeout_AutoPolicyProceedsWhenTheTimeIsUp()
    {
        await using var engine = await EngineFixture.StartAsync(
            policies: "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P1, mode: auto } }",
            extra: "approvals: [ { when: { severity: [P0, P1] }, any-of: [approver], decide-within: 1s, on-timeout: proceed } ]");
        await engine.StableV1ThenV2Async();
        await engine.SamplesAsync(3, success: false);
        var waiting = (await engine.RollbacksAsync()).ShouldHaveSingleItem();
        var timeouts = engine.Get<ApprovalTimeouts>();

        engine.Time.Advance(TimeSpan.FromMilliseconds(900));
        await timeouts.CheckAsync();
        (await engine.Store.GetRollbackAsync(waiting.Id)).ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Awaiting);
        engine.Time.Advance(TimeSpan.FromMilliseconds(100));
        await timeouts.CheckAsync();

        (await engine.Store.GetRollbackAsync(waiting.Id)).ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Pending);
        var timeline = await engine.TimelineAsync(waiting.IncidentId!);
        timeline.ShouldContain(e => e.Message.Contains("then it proceeds", StringComparison.Ordinal));
        timeline.ShouldContain(e => e.Message.StartsWith($"{waiting.Id}: no decision within 1s; proceeding, as policy down acts automatically and approval rule 1 says proceed", StringComparison.Ordinal));
        (await engine.RunRollbackAsync(waiting.Id)).Status.ShouldBe(RollbackStatus.Succeeded);
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
    }

    [Fact]
    public async Task DecisionTimeout_ManualRequestEscalatesOnceAndKeepsWaiting()
    {
        await using var engine = await EngineFixture.StartAsync(extra: "approvals: [ { any-of: [approver], decide-within: 1s, on-timeout: proceed } ]");
        await engine.StableV1ThenV2Async();
        var requested = await RequestAsync(engine, "checkout errors");
        var timeouts = engine.Get<ApprovalTimeouts>();

        for (var tick = 0; tick < 5; tick++)
        {
            engine.Time.Advance(TimeSpan.FromSeconds(1));
            await timeouts.CheckAsync();
        }

        var timeline = await engine.TimelineAsync(requested.IncidentId!);
        timeline.Count(e => e.Kind == TimelineKinds.Escalation).ShouldBe(1);
        timeline.ShouldContain(e => e.Message.Contains($"{requested.Id}: no decision within 1s; still waiting for an approval by any of approver; a human must decide", StringComparison.Ordinal));
        (await engine.Store.GetRollbackAsync(requested.Id)).ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Awaiting); // a manual request never proceeds unapproved
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task SecondFactorRule_NeedsAnEnrolledCurrentUnusedCode()
    {
        await using var engine = await EngineFixture.StartAsync(extra: "approvals: [ { any-of: [approver], second-factor: true } ]");
        await engine.StableV1ThenV2Async();
        await engine.Store.CreateUserAsync(new User("carol", [Roles.Approver], engine.Now, "alice"));
        var approvals = engine.Get<ApprovalWorkflow>();
        var requested = await RequestAsync(engine, "checkout errors");

        var notEnrolled = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Carol, null, "123456"));
        var secret = Totp.NewSecret();
        await engine.Store.SetTotpSecretAsync("carol", secret);
        var noCode = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Carol, null));
        var stale = Totp.Code(Totp.FromBase32(secret)!, Totp.StepOf(engine.Now));
        engine.Time.Advance(TimeSpan.FromMinutes(2)); // the code of two minutes ago has expired
        var expired = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Carol, null, stale));
        var code = Totp.Code(Totp.FromBase32(secret)!, Totp.StepOf(engine.Now));
        var approved = await approvals.DecideAsync(new ApprovalRequest(requested.Id, true, Carol, "checked", code));

        notEnrolled.Refusal.ShouldNotBeNull().Detail.ShouldContain("carol has none: enrol with `rewind user totp`");
        noCode.Refusal.ShouldNotBeNull().Detail.ShouldContain("pass the code from your authenticator");
        expired.Refusal.ShouldNotBeNull().Detail.ShouldBe("the second-factor code is wrong, expired or already used");
        approved.Value.ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Pending);
        var used = (await engine.Store.GetTotpAsync("carol"))!.Value.LastStep!.Value;
        used.ShouldBe(Totp.StepOf(engine.Now));
        Totp.Verify(secret, code, engine.Now, used).ShouldBeNull(); // the code's time step is spent
    }

    /// <summary>A person's rollback request, as the API makes it.</summary>
    internal static async Task<Rollback> RequestAsync(EngineFixture engine, string reason)
    {
        var outcome = await engine.Get<RollbackCoordinator>().RequestAsync("web", reason, "alice", null, new PlanOptions(), null);
        outcome.Refusal.ShouldBeNull();
        return outcome.Rollback.ShouldNotBeNull();
    }
}
