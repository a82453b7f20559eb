using Rewind.Core.Policies;
using Rewind.Core.Releases;
using Rewind.Core.Signals;

namespace Rewind.Storage.Tests;

/// <summary>Samples written in batches, and the facts the decision engine reads in bulk and holds in memory.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task AddSamplesAsync_ManyRowsInOneCall_ReadsBackEverySampleAsGiven()
    {
        var component = NewComponent();
        var samples = Enumerable.Range(0, 450) // more than one statement's rows, and a remainder
            .Select(i => new ProbeSample(component, i % 3 == 0 ? "tcp" : "http", T0.AddMilliseconds(i * 10), i % 7 != 0, 0.25 + i, i % 7 == 0 ? $"HTTP 503 #{i}" : null))
            .ToList();

        await Store.AddSamplesAsync(samples);
        await Store.AddSamplesAsync([]);

        var http = samples.Where(s => s.Probe == "http").Reverse().ToList();
        (await Store.GetRecentSamplesAsync(component, "http", 1000)).ShouldBe(http);
        (await Store.GetRecentSamplesAsync(component, "tcp", 1000)).Count.ShouldBe(150);
    }

    [Fact]
    public async Task AddSamplesAsync_LastRowRefused_WritesNoneOfTheBatch()
    {
        var component = NewComponent();
        List<ProbeSample> samples = [.. Enumerable.Range(0, 300).Select(i => new ProbeSample(component, "http", T0.AddSeconds(i), true, 1)), new(component, null!, T0.AddHours(1), true, 1)];

        await Should.ThrowAsync<Exception>(() => Store.AddSamplesAsync(samples));

        (await Store.GetRecentSamplesAsync(component, "http", 10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetCurrentReleasesAsync_AfterRecords_NamesEachComponentsCurrentRelease()
    {
        var web = NewComponent("web");
        var api = NewComponent("api");
        await Store.RecordReleaseAsync(new Release(web, "v1", ReleaseState.Stable, T0));
        await Store.RecordReleaseAsync(new Release(web, "v2", ReleaseState.Deploying, T0.AddMinutes(1)));
        await Store.RecordReleaseAsync(new Release(api, "v7", ReleaseState.Baking, T0));

        var current = (await Store.GetCurrentReleasesAsync()).Where(r => r.Component == web || r.Component == api).OrderBy(r => r.Component, StringComparer.Ordinal).ToList();

        current.Select(r => (r.Component, r.Version, r.State)).ShouldBe([(api, "v7", ReleaseState.Baking), (web, "v2", ReleaseState.Deploying)]);
    }

    [Fact]
    public async Task GetMaintenanceWindowsAsync_At_ReturnsWindowsNotEndedOfOneOrEveryComponent()
    {
        var web = NewComponent("web");
        var api = NewComponent("api");
        await Store.DeclareMaintenanceAsync(new MaintenanceWindow(web, T0.AddHours(-2), T0.AddHours(-1), "over", "alice"));
        await Store.DeclareMaintenanceAsync(new MaintenanceWindow(web, T0.AddMinutes(-5), T0.AddMinutes(5), "now", "alice"));
        await Store.DeclareMaintenanceAsync(new MaintenanceWindow(api, T0.AddHours(1), T0.AddHours(2), "to come", "bob"));

        var all = (await Store.GetMaintenanceWindowsAsync(T0)).Where(w => w.Component == web || w.Component == api).Select(w => w.Reason).Order(StringComparer.Ordinal);
        var ofWeb = await Store.GetMaintenanceWindowsAsync(T0, web);

        all.ShouldBe(["now", "to come"]);
        ofWeb.ShouldHaveSingleItem().Reason.ShouldBe("now");
    }

    [Fact]
    public async Task ChangesOf_WritesThatMoveTheFacts_CountOncePerWriteOfThatComponentOnly()
    {
        var web = NewComponent("web");
        var other = NewComponent("api");
        var before = Store.ChangesOf(web);

        await Store.RecordReleaseAsync(new Release(web, "v1", ReleaseState.Baking, T0));
        await Store.SetReleaseStateAsync(web, "v1", ReleaseState.Stable, T0.AddMinutes(1));
        await Store.DeclareMaintenanceAsync(new MaintenanceWindow(web, T0, T0.AddHours(1), "work", "alice"));
        await Store.EndMaintenanceAsync(web, T0.AddMinutes(2));
        var rollback = (await CreateRollbackAsync(web)).Created.ShouldNotBeNull();
        await Store.CancelUnstartedRollbackAsync(rollback.Id, T0.AddMinutes(3), "not needed");
        await Store.AddSamplesAsync([new ProbeSample(web, "http", T0, true, 1)]);

        Store.ChangesOf(web).ShouldBe(before + 6);
        Store.ChangesOf(other).ShouldBe(0);
    }
}
