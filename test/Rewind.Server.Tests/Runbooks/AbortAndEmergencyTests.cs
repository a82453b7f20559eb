using Rewind.Client;
using Rewind.Server.Tests.Api;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>Stopping a rollback (now, and across a restart) and emergency rollbacks, on a real controller with real processes.</summary>
public sealed class AbortAndEmergencyTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Abort_DuringALongStep_InterruptsItRecordsWhereAndFreesTheLease()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[sleep, \"60\"]");
        await RollbackEndpointsTests.StableV1ThenV2Async(server);
        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        await Eventually.WaitAsync(async () => (await server.Client.GetRollbackAsync(requested.Id)).Steps[1].Status == "running", Deadline, "the restart step to run");

        var asked = await server.Client.AbortRollbackAsync(requested.Id, "wrong target, v1 has the same bug");
        var stopped = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "cancelled" } r ? r : null, Deadline, "the rollback to stop");

        asked.Status.ShouldBeOneOf("running", "cancelled");
        stopped.Error.ShouldBe("aborted by alice: wrong target, v1 has the same bug; stopped during step 2/3 (restart); steps done: 1 switch");
        stopped.Steps.Select(s => s.Status).ShouldBe(["succeeded", "failed", "pending"]);
        stopped.Steps[1].Output.ShouldBe("interrupted: aborted by alice: wrong target, v1 has the same bug");
        (stopped.FinishedAt!.Value - stopped.Steps[1].StartedAt!.Value).ShouldBeLessThan(TimeSpan.FromSeconds(20)); // the 60 s sleep was killed
        var incident = await server.Client.GetIncidentAsync(requested.IncidentId!);
        incident.Timeline[^1].Kind.ShouldBe("escalation");
        incident.Timeline[^1].Message.ShouldStartWith($"{requested.Id} aborted by alice: wrong target, v1 has the same bug; stopped during step 2/3 (restart)");
        (await server.Store.GetActiveRollbacksAsync()).ShouldBeEmpty(); // the lease is free
        var again = await Should.ThrowAsync<RewindApiException>(() => server.Client.AbortRollbackAsync(requested.Id, "twice"));
        (again.Status, again.Title).ShouldBe((409, "rollback finished"));
    }

    [Fact]
    public async Task Abort_AskedWhileTheControllerWasDown_StopsTheRollbackInsteadOfResumingIt()
    {
        var storeDirectory = Directory.CreateTempSubdirectory("rewind-abort-store-").FullName;
        try
        {
            var store = $"sqlite:{storeDirectory}/rewind.db";
            RollbackDto requested;
            await using (var first = await ServerFixture.StartAsync(restart: "[sleep, \"60\"]", store: store))
            {
                await RollbackEndpointsTests.StableV1ThenV2Async(first);
                requested = await first.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
                await Eventually.WaitAsync(async () => (await first.Client.GetRollbackAsync(requested.Id)).Steps[1].Status == "running", Deadline, "the restart step to run");
                (await first.Store.RequestAbortAsync(requested.Id, "bob", "stop it")).ShouldBeTrue(); // durable, and this controller is not told
            }

            await using var second = await ServerFixture.StartAsync(restart: "[sleep, \"60\"]", store: store);
            var stopped = await Eventually.WaitAsync(async () => await second.Client.GetRollbackAsync(requested.Id) is { Status: "cancelled" } r ? r : null, Deadline, "the rollback to stop");

            stopped.Error.ShouldBe("aborted by bob: stop it; stopped during step 2/3 (restart); steps done: 1 switch");
            stopped.Steps[1].Status.ShouldBe("failed");
            stopped.Steps[1].Attempts.ShouldBe(1); // not started again
        }
        finally
        {
            Directory.Delete(storeDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Abort_WaitingForApproval_CancelsWithNothingTouched_AndBadRequestsAreProblems()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", extra: "approvals: [ { any-of: [approver], decide-within: 1h } ]");
        await RollbackEndpointsTests.StableV1ThenV2Async(server);
        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));

        var noReason = await Should.ThrowAsync<RewindApiException>(() => server.Client.AbortRollbackAsync(requested.Id, " "));
        var unknown = await Should.ThrowAsync<RewindApiException>(() => server.Client.AbortRollbackAsync("RB-2026-01-01-0001", "x"));
        var aborted = await server.Client.AbortRollbackAsync(requested.Id, "false alarm");

        noReason.Status.ShouldBe(400);
        unknown.Status.ShouldBe(404);
        aborted.Status.ShouldBe("cancelled");
        aborted.Error.ShouldBe("aborted by alice: false alarm; nothing was touched");
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task Emergency_PlansOutThePausesAndIsInTheAuditLog()
    {
        await using var server = await ServerFixture.StartAsync(
            restart: "[\"true\"]",
            componentExtra: """plan: [ { switch: {} }, { batch: { members: { list: [eu, us] }, argv: [/bin/echo, "purge {{member}}"], batch-size: 1, delay: 5s } } ]""");
        await RollbackEndpointsTests.StableV1ThenV2Async(server);

        var normal = await server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test"));
        var emergency = await server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test", Emergency: true));
        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "site down", Emergency: true));
        var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(rollback.Id) is { Status: "succeeded" } r ? r : null, Deadline, "the emergency rollback");

        normal.Steps[^1].Description.ShouldContain("1 per batch, 10 at once, 5s between batches");
        emergency.Steps[^1].Description.ShouldContain("1 per batch, 10 at once, 3 retries");
        emergency.Steps[^1].Description.ShouldNotContain("between batches");
        done.Steps[^1].Output!.ShouldStartWith("2 member(s): 2 succeeded, 0 failed");
        (await server.Client.GetIncidentAsync(rollback.IncidentId!)).Timeline.ShouldContain(e => e.Message.StartsWith($"EMERGENCY rollback {rollback.Id} requested by alice", StringComparison.Ordinal));
        (await server.Client.GetAuditAsync()).ShouldContain(e => e.Action == "POST /api/v1/rollbacks" && e.Detail.Contains("emergency: pauses skipped", StringComparison.Ordinal));
    }
}
