namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task MigrateAsync_RunTwice_AppliesEachMigrationOnce()
    {
        await Store.MigrateAsync();
        await Store.MigrateAsync();

        var applied = await ((RelationalStore)Store).GetAppliedMigrationsAsync();

        applied.ShouldBe([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28]); // every shipped migration, once
    }

    [Fact]
    public async Task MigrateAsync_TwoInstancesConcurrentlyOnEmptyDatabase_AppliesEachMigrationOnce()
    {
        var location = await Fixture.CreateEmptyLocationAsync();
        var first = Fixture.Open(location);
        var second = Fixture.Open(location);

        await Task.WhenAll(Task.Run(() => first.MigrateAsync()), Task.Run(() => second.MigrateAsync()));
        await first.MigrateAsync();

        (await ((RelationalStore)first).GetAppliedMigrationsAsync()).ShouldBe([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28]); // every shipped migration, once
        await first.EnsureComponentAsync("web", "release-dir");
        (await second.GetComponentAsync("web")).ShouldNotBeNull().Provider.ShouldBe("release-dir");
    }

    [Fact]
    public async Task PingAsync_MigratedStore_ReturnsRoundTripTime()
    {
        var elapsed = await Store.PingAsync();

        elapsed.ShouldBeGreaterThan(TimeSpan.Zero);
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
    }
}
