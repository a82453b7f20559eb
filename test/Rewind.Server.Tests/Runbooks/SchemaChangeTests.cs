using Rewind.Client;
using Rewind.Core.Releases;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>A real controller refusing to roll an application back past a database schema change, unless allowed (audited) or handled.</summary>
public sealed class SchemaChangeTests
{
    [Fact]
    public async Task Rollback_BackOverASchemaChange_IsRefused_ThenAllowedExplicitlyAndAudited()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", componentExtra: "plan: [ { switch: {} } ]");
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1", Schema: "0041_carts"));
        await server.Store.SetReleaseStateAsync("web", "v1", ReleaseState.Stable, TimeProvider.System.GetUtcNow());
        var v2 = await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2", Schema: "0042_orders_index"));

        var refused = await Should.ThrowAsync<RewindApiException>(() => server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test")));
        var badSchema = await Should.ThrowAsync<RewindApiException>(() => server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v3", Schema: "--drop")));
        var allowed = await server.Client.DryRunRollbackAsync(new RollbackRequest("web", "test", AllowSchemaChange: true));
        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "v2 corrupts carts", AllowSchemaChange: true));
        var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "succeeded" or "failed" } r ? r : null, TimeSpan.FromSeconds(60), "the rollback to end");

        v2.Schema.ShouldBe("0042_orders_index");
        refused.Status.ShouldBe(409);
        refused.Message.ShouldContain("web v2 runs on schema 0042_orders_index and v1 on 0041_carts");
        refused.Message.ShouldContain("--allow-schema-change");
        badSchema.Status.ShouldBe(400);
        allowed.SchemaChange.ShouldBe("0042_orders_index -> 0041_carts");
        done.Status.ShouldBe("succeeded", done.Error);
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        (await server.Client.GetAuditAsync()).ShouldContain(e => e.Action == "POST /api/v1/rollbacks" && e.Detail.Contains("schema change allowed", StringComparison.Ordinal));
        (await server.Client.GetIncidentAsync(done.IncidentId!)).Timeline.ShouldContain(e => e.Message.Contains("back over schema change 0042_orders_index -> 0041_carts, allowed by alice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AutoPolicy_BackOverASchemaChange_PagesAHumanAndTouchesNothing()
    {
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true); // healthy until both releases are recorded, however slow the start
        await using var server = await ServerFixture.StartAsync(probeUrl: endpoint.Url, policies: "{ down: { when: { probe: health, failing-for: 1500ms, min-failures: 2 }, mode: auto } }");
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1", Schema: "0041_carts"));
        await server.Store.SetReleaseStateAsync("web", "v1", ReleaseState.Stable, TimeProvider.System.GetUtcNow());
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2", Schema: "0042_orders_index"));
        endpoint.Healthy = false;

        var incident = await Eventually.WaitAsync(
            async () => await server.Client.GetIncidentsAsync() is [var i, ..] && await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Kind == "escalation") ? full : null,
            TimeSpan.FromSeconds(20),
            "an escalation");

        incident.Timeline.ShouldContain(e => e.Kind == "escalation" && e.Message.Contains("runs on schema 0042_orders_index and v1 on 0041_carts", StringComparison.Ordinal));
        (await server.Client.GetRollbacksAsync()).ShouldBeEmpty();
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }
}
