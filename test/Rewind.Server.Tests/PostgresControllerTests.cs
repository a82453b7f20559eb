using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>The whole controller on its production store: PostgreSQL, started by ./test.sh.</summary>
public sealed class PostgresControllerTests
{
    [Fact]
    public async Task ManualRollback_OnPostgres_RecordsEveryStepAndHoldsTheLease()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await ServerFixture.StartAsync(restart: "[sleep, \"1\"]", store: database.Url);
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "on postgres", RequestedBy: "alice"));
        var conflict = await Should.ThrowAsync<RewindApiException>(() => server.Client.RequestRollbackAsync(new RollbackRequest("web", "again")));
        var finished = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(rollback.Id) is { Status: "succeeded" or "failed" } r ? r : null, TimeSpan.FromSeconds(60), "the rollback to finish");

        (await server.Client.GetHealthAsync()).Store.ShouldBe("postgres");
        conflict.Status.ShouldBe(409);
        finished.Steps.Select(s => (s.Kind, s.Status, s.Attempts)).ShouldBe([("switch", "succeeded", 1), ("restart", "succeeded", 1), ("wait-healthy", "failed", 1)]);
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        (await server.Client.GetComponentAsync("web")).CurrentVersion.ShouldBe("v1");
        (await server.Client.GetIncidentAsync(finished.IncidentId!)).Timeline.ShouldContain(e => e.Kind == "escalation");
    }
}
