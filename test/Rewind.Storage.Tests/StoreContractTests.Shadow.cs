using Rewind.Core.Policies;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task GetShadowDecisionsAsync_ByComponent_NewestFirstWithEveryField()
    {
        var web = NewComponent();
        var api = NewComponent("api");
        var first = new ShadowDecision(web, "regressed", "v2", T0, "would have rolled back from v2 to v1", "sequential test: 6 bad of 100 events");
        var second = new ShadowDecision(web, "down", null, T0.AddSeconds(5), "would have opened an incident (notify)", "probe health failing for 2s");
        await Store.AddShadowDecisionAsync(first);
        await Store.AddShadowDecisionAsync(second);
        await Store.AddShadowDecisionAsync(first with { Component = api });

        (await Store.GetShadowDecisionsAsync(10, web)).ShouldBe([second, first]);
        (await Store.GetShadowDecisionsAsync(1, web)).ShouldBe([second]);
        (await Store.GetShadowDecisionsAsync(500)).ShouldContain(first with { Component = api });
    }

    [Fact]
    public async Task MaintenanceWindows_ActiveOnlyInsideAndEndedEarly()
    {
        var web = NewComponent();
        var window = new MaintenanceWindow(web, T0, T0.AddMinutes(30), "schema migration", "alice");
        await Store.DeclareMaintenanceAsync(window);

        (await Store.GetActiveMaintenanceAsync(web, T0.AddSeconds(-1))).ShouldBeNull();
        (await Store.GetActiveMaintenanceAsync(web, T0.AddMinutes(10))).ShouldBe(window);
        (await Store.GetActiveMaintenanceAsync(NewComponent("api"), T0.AddMinutes(10))).ShouldBeNull();
        (await Store.EndMaintenanceAsync(web, T0.AddMinutes(12))).ShouldBe(1);
        (await Store.GetActiveMaintenanceAsync(web, T0.AddMinutes(13))).ShouldBeNull();
        (await Store.EndMaintenanceAsync(web, T0.AddMinutes(13))).ShouldBe(0);
    }
}
