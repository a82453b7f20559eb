using Rewind.Client;
using Rewind.Core.Incidents;
using Rewind.Server.Tests.Api;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>Approval steps (gates in the middle of a plan) on a real controller: approve, deny, timeouts and a restart.</summary>
public sealed class ApprovalStepTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>A batch step moves the component in the restart tests: the second controller has a directory of its own.</summary>
    private const string Batch = """{ batch: { members: { list: [eu, us] }, argv: [/bin/echo, "purge {{member}}"], dir: / } }""";

    private static string GatePlan(string gate = "", string then = "{ switch: {} }") =>
        $$$"""plan: [ { name: data safety, approval: { any-of: [dba], message: "Switch {{component}} to {{target.version}}?"{{{gate}}} } }, {{{then}}} ]""";

    [Fact]
    public async Task Gate_ApprovedBySomeoneElseWithTheRole_PassesAndTheRollbackGoesOn()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", componentExtra: GatePlan(", decide-within: 1h"));
        await RollbackEndpointsTests.StableV1ThenV2Async(server);
        var carol = await UserAsync(server, "carol", "dba");
        var vera = await UserAsync(server, "vera", "viewer");

        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        var waiting = await WaitingAsync(server, requested.Id);
        var self = await Should.ThrowAsync<RewindApiException>(() => server.Client.ApproveRollbackAsync(requested.Id));
        var viewer = await Should.ThrowAsync<RewindApiException>(() => vera.ApproveRollbackAsync(requested.Id));
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2")); // held at the gate
        await carol.ApproveRollbackAsync(requested.Id, "backup checked");
        var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "succeeded" } r ? r : null, Deadline, "the rollback to pass the gate");

        waiting.Status.ShouldBe("running");
        waiting.Steps[0].Description.ShouldBe("data safety: approval gate \"Switch web to v1?\": needs an approval by any of dba, not the requester's own; decide within 1h, then fail");
        waiting.Steps.Select(s => s.AwaitingApproval).ShouldBe([true, false, false]);
        self.Status.ShouldBe(403);
        self.Message.ShouldContain("alice asked for this rollback; the two-person rule needs someone else to approve it");
        viewer.Status.ShouldBe(403);
        viewer.Message.ShouldContain("vera has viewer; approving needs one of dba");
        done.Steps[0].Output.ShouldBe("approved by carol (dba)");
        done.Steps.ShouldAllBe(s => !s.AwaitingApproval);
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        var asked = (await server.Store.GetTimelineAsync(requested.IncidentId!)).Where(e => e.Milestone == TimelineMilestones.ApprovalNeeded).ShouldHaveSingleItem();
        asked.Message.ShouldStartWith($"{requested.Id} step 1/3 waits for approval (data safety): \"Switch web to v1?\" It needs an approval by any of dba, not the requester's own: `rewind approve {requested.Id}` or `rewind deny {requested.Id}`; decide by ");
        asked.Message.ShouldEndWith("(within 1h), then the step fails and so does the rollback");
        (await server.Client.GetIncidentAsync(requested.IncidentId!)).Timeline.ShouldContain(e => e.Message == $"{requested.Id} step 1/3 (approval) approved by carol (dba): backup checked; the gate passes" && e.Actor == "carol");
    }

    [Fact]
    public async Task Gate_Denied_FailsTheStepAndTheRollbackAndPages()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", componentExtra: GatePlan());
        await RollbackEndpointsTests.StableV1ThenV2Async(server);
        var carol = await UserAsync(server, "carol", "dba");

        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        await WaitingAsync(server, requested.Id);
        await carol.DenyRollbackAsync(requested.Id, "the backup is not finished");
        var failed = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "failed" } r ? r : null, Deadline, "the rollback to fail");
        var late = await Should.ThrowAsync<RewindApiException>(() => carol.ApproveRollbackAsync(requested.Id));

        failed.Error.ShouldBe("step 1 (approval) failed: denied by carol: the backup is not finished");
        failed.Steps.Select(s => s.Status).ShouldBe(["failed", "pending", "pending"]);
        late.Status.ShouldBe(409);
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
        (await server.Store.GetTimelineAsync(requested.IncidentId!)).ShouldContain(e => e.Milestone == TimelineMilestones.RollbackFailed && e.Kind == TimelineKinds.Escalation);
        (await server.Store.GetActiveRollbacksAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Gate_NobodyDecides_FailsAtTheDeadline()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", componentExtra: GatePlan(", decide-within: 1s"));
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        var failed = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "failed" } r ? r : null, Deadline, "the gate to time out");

        failed.Error.ShouldBe("step 1 (approval) failed: no decision within 1s; still waiting for an approval by any of dba");
        (failed.Steps[0].FinishedAt - failed.Steps[0].StartedAt)!.Value.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task Gate_EscalateAndWait_EscalatesOnceThenPassesOnApproval()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", componentExtra: GatePlan(", decide-within: 1s, on-timeout: escalate-and-wait"));
        await RollbackEndpointsTests.StableV1ThenV2Async(server);
        var carol = await UserAsync(server, "carol", "dba");

        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        var escalation = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentAsync(requested.IncidentId!)).Timeline.FirstOrDefault(e => e.Kind == "escalation"), Deadline, "the escalation");
        await Task.Delay(1500); // more polls of the gate after its deadline
        var stillWaiting = await server.Client.GetRollbackAsync(requested.Id);
        await carol.ApproveRollbackAsync(requested.Id);
        await Eventually.WaitAsync(async () => (await server.Client.GetRollbackAsync(requested.Id)).Status == "succeeded", Deadline, "the rollback to pass the gate");

        escalation.Message.ShouldContain($"{requested.Id} step 1/3: no decision within 1s; still waiting for an approval by any of dba; a human must decide (`rewind approve {requested.Id}` or `rewind deny {requested.Id}`)");
        stillWaiting.Steps[0].AwaitingApproval.ShouldBeTrue();
        (await server.Client.GetIncidentAsync(requested.IncidentId!)).Timeline.Count(e => e.Kind == "escalation").ShouldBe(1);
    }

    [Fact]
    public async Task Gate_AcrossARestart_KeepsItsDecisionsAndIsAnnouncedOnce()
    {
        var storeDirectory = Directory.CreateTempSubdirectory("rewind-gate-store-").FullName;
        try
        {
            var store = $"sqlite:{storeDirectory}/rewind.db";
            RollbackDto requested;
            await using (var first = await ServerFixture.StartAsync(restart: "[\"true\"]", store: store, componentExtra: GatePlan(", decide-within: 1h", Batch)))
            {
                await RollbackEndpointsTests.StableV1ThenV2Async(first);
                await first.Client.CreateUserAsync(new CreateUserRequest("carol", ["dba"]));
                requested = await first.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
                await WaitingAsync(first, requested.Id);
            }

            await using var second = await ServerFixture.StartAsync(restart: "[\"true\"]", store: store, componentExtra: GatePlan(", decide-within: 1h", Batch));
            var resumed = await Eventually.WaitAsync(async () => await second.Client.GetRollbackAsync(requested.Id) is { Steps: [{ Attempts: 2, AwaitingApproval: true }, ..] } r ? r : null, Deadline, "the gate to wait again");
            var carol = await TokenAsync(second, "carol");
            await carol.ApproveRollbackAsync(requested.Id, "after the restart");
            var done = await Eventually.WaitAsync(async () => await second.Client.GetRollbackAsync(requested.Id) is { Status: "succeeded" } r ? r : null, Deadline, "the rollback to pass the gate");

            resumed.Status.ShouldBe("running");
            done.Steps[0].Output.ShouldBe("approved by carol (dba)");
            done.Steps[1].Output!.ShouldStartWith("2 member(s): 2 succeeded, 0 failed");
            (await second.Store.GetTimelineAsync(requested.IncidentId!)).Count(e => e.Milestone == TimelineMilestones.ApprovalNeeded).ShouldBe(1); // not announced again
        }
        finally
        {
            Directory.Delete(storeDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Gate_DeadlinePassedWhileTheControllerWasDown_FailsAtOnceAfterTheRestart()
    {
        var storeDirectory = Directory.CreateTempSubdirectory("rewind-gate-store-").FullName;
        try
        {
            var store = $"sqlite:{storeDirectory}/rewind.db";
            RollbackDto requested;
            DateTimeOffset opened;
            await using (var first = await ServerFixture.StartAsync(restart: "[\"true\"]", store: store, componentExtra: GatePlan(", decide-within: 3s", Batch)))
            {
                await RollbackEndpointsTests.StableV1ThenV2Async(first);
                requested = await first.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
                opened = (await WaitingAsync(first, requested.Id)).Steps[0].StartedAt!.Value;
            }

            await Eventually.WaitAsync(() => Task.FromResult(DateTimeOffset.UtcNow - opened > TimeSpan.FromSeconds(3.5)), Deadline, "the gate's deadline to pass");
            await using var second = await ServerFixture.StartAsync(restart: "[\"true\"]", store: store, componentExtra: GatePlan(", decide-within: 3s", Batch));
            var failed = await Eventually.WaitAsync(async () => await second.Client.GetRollbackAsync(requested.Id) is { Status: "failed" } r ? r : null, Deadline, "the gate to fail");

            failed.Error.ShouldBe("step 1 (approval) failed: no decision within 3s; still waiting for an approval by any of dba");
            failed.Steps[0].Attempts.ShouldBe(2);
            (failed.Steps[0].FinishedAt - failed.Steps[0].StartedAt)!.Value.ShouldBeLessThan(TimeSpan.FromSeconds(3)); // counted from the first opening, not the restart
        }
        finally
        {
            Directory.Delete(storeDirectory, recursive: true);
        }
    }

    private static Task<RollbackDto> WaitingAsync(ServerFixture server, string id) =>
        Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(id) is { Steps: [{ AwaitingApproval: true }, ..] } r ? r : null, Deadline, "the rollback to wait at its gate");

    private static async Task<RewindClient> UserAsync(ServerFixture server, string name, params string[] roles)
    {
        await server.Client.CreateUserAsync(new CreateUserRequest(name, roles));
        return await TokenAsync(server, name);
    }

    private static async Task<RewindClient> TokenAsync(ServerFixture server, string name) =>
        new(server.HttpAs((await server.Client.CreateTokenAsync(name, new CreateTokenRequest())).Token));
}
