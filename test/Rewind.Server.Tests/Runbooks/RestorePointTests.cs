using Rewind.Client;
using Rewind.Core.Releases;
using Rewind.Server.Tests.Api;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>Restore points on a backed-up PostgreSQL cluster (the test server), made when a release is first recorded and before a rollback.</summary>
public sealed class RestorePointTests
{
    [Fact]
    public async Task ReleaseRecordRollbackAndSnapshotStep_MarkTheBackedUpClusterWithNamedRestorePoints()
    {
        var repository = Directory.CreateTempSubdirectory("rewind-rp-").FullName;
        try
        {
            var db = $$"""db: { provider: { postgres: { url: "{{PostgresDatabase.ServerUrl()}}", data-directory: /var/lib/postgresql/15/main } }, backups: { repository: "{{repository}}" }, probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } } }""";
            await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", componentExtra: "plan: [ { snapshot: { component: db } }, { switch: {} } ]", components: db);
            await RollbackEndpointsTests.StableV1ThenV2Async(server);
            await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2")); // again: no second point

            var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "test"));
            var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "succeeded" or "failed" } r ? r : null, TimeSpan.FromSeconds(60), "the rollback to end");

            done.Status.ShouldBe("succeeded", done.Error);
            done.Steps[0].Description.ShouldBe("snapshot of db: restore point rewind-snapshot-<rollback>-<step> in its archived WAL");
            done.Steps[0].Output!.ShouldStartWith($"restore point rewind-snapshot-{done.Id}-1 on db at ");
            var audit = await server.Client.GetAuditAsync();
            audit.Count(e => e.Detail.Contains("restore point rewind-release-web-v2 on db at ", StringComparison.Ordinal)).ShouldBe(1);
            audit.ShouldContain(e => e.Detail.Contains("restore point rewind-release-web-v1 on db at ", StringComparison.Ordinal));
            (await server.Client.GetIncidentAsync(done.IncidentId!)).Timeline.ShouldContain(e => e.Kind == "note" && e.Message.StartsWith($"restore point rewind-before-{done.Id} on db at ", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }
}
