using Rewind.Client;
using Rewind.Core.Incidents;
using Rewind.Server.Tests.Api;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>
/// An approval step over HTTP on a real controller: the gate shown as awaiting approval, refusals as 403, the approval that
/// lets the rollback go on. Denial, deadlines and restarts are tested on the engine in virtual time.
/// </summary>
public sealed class ApprovalStepTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static string GatePlan(string gate = "") =>
        $$$"""plan: [ { name: data safety, approval: { any-of: [dba], message: "Switch {{component}} to {{target.version}}?"{{{gate}}} } }, { switch: {} } ]""";

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
