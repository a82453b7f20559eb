using Rewind.Core.Leadership;
using Rewind.Core.Storage;
using Rewind.TestUtils;

namespace Rewind.Storage.Tests;

/// <summary>The leader lease and the write fence on a real PostgreSQL, each test on a database of its own.</summary>
public sealed class PostgresLeaseTests(PostgresStoreFixture fixture) : IClassFixture<PostgresStoreFixture>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TryTakeAsync_HeldByALiveReplica_IsRefused()
    {
        var (url, store) = await NewStoreAsync();
        await using var _ = (IAsyncDisposable)store;
        await using var a = StoreFactory.OpenLease(url, "a", Ttl);
        await using var b = StoreFactory.OpenLease(url, "b", Ttl);

        var epoch = await a.TryTakeAsync(CancellationToken.None);

        epoch.ShouldNotBeNull();
        (await b.TryTakeAsync(CancellationToken.None)).ShouldBeNull();
        var view = await b.ReadAsync(CancellationToken.None);
        view.Holder.ShouldBe("a");
        view.Epoch.ShouldBe(epoch.Value);
        view.IsHeld.ShouldBeTrue();
        (await a.RenewAsync(epoch.Value, CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public async Task TryTakeAsync_HolderSessionEnded_TakesOverAtOnceWithAGreaterEpoch()
    {
        var (url, store) = await NewStoreAsync();
        await using var _ = (IAsyncDisposable)store;
        var a = StoreFactory.OpenLease(url, "a", Ttl);
        var first = (await a.TryTakeAsync(CancellationToken.None)).ShouldNotBeNull();
        await using var b = StoreFactory.OpenLease(url, "b", Ttl);

        await a.DisposeAsync(); // its session ends, as when its process dies: the 30 s lease has not run out

        var second = await Eventually.WaitAsync<object>(async () => await b.TryTakeAsync(CancellationToken.None), TimeSpan.FromSeconds(10), "b to take the lease");
        ((long)second).ShouldBeGreaterThan(first);
        (await b.ReadAsync(CancellationToken.None)).Holder.ShouldBe("b");
    }

    [Fact]
    public async Task TryTakeAsync_LeaseRanOut_TakesOverWhileTheOldHolderStillRuns()
    {
        var (url, store) = await NewStoreAsync();
        await using var _ = (IAsyncDisposable)store;
        await using var a = StoreFactory.OpenLease(url, "a", TimeSpan.FromMilliseconds(300));
        var first = (await a.TryTakeAsync(CancellationToken.None)).ShouldNotBeNull();
        await using var b = StoreFactory.OpenLease(url, "b", Ttl);

        // a never renews: paused, or cut off from the database while its session lingers
        var second = await Eventually.WaitAsync<object>(async () => await b.TryTakeAsync(CancellationToken.None), TimeSpan.FromSeconds(10), "b to take the lease");

        ((long)second).ShouldBe(first + 1);
        (await a.RenewAsync(first, CancellationToken.None)).ShouldBeFalse(); // its session was ended by the takeover, or its epoch is gone
    }

    [Fact]
    public async Task TryTakeAsync_HolderWhoseTermEndedOnItsOwn_TakesANewEpochAtOnce_OthersStillCannot()
    {
        var (url, store) = await NewStoreAsync();
        await using var _ = (IAsyncDisposable)store;
        await using var a = StoreFactory.OpenLease(url, "a", Ttl);
        await using var b = StoreFactory.OpenLease(url, "b", Ttl);
        var first = (await a.TryTakeAsync(CancellationToken.None)).ShouldNotBeNull();

        // a's term ended by its own watchdog (a renewal too slow); its session and its 30 s lease are still there
        (await b.TryTakeAsync(CancellationToken.None)).ShouldBeNull();
        (await a.TryTakeAsync(CancellationToken.None)).ShouldBe(first + 1);
        (await a.RenewAsync(first, CancellationToken.None)).ShouldBeFalse(); // the ended term's epoch is gone
    }

    [Fact]
    public async Task ReleaseAsync_WakesAWaitingReplica_WhichTakesOver()
    {
        var (url, store) = await NewStoreAsync();
        await using var _ = (IAsyncDisposable)store;
        await using var a = StoreFactory.OpenLease(url, "a", Ttl);
        var first = (await a.TryTakeAsync(CancellationToken.None)).ShouldNotBeNull();
        await using var b = StoreFactory.OpenLease(url, "b", Ttl);
        (await b.TryTakeAsync(CancellationToken.None)).ShouldBeNull();

        var waiting = b.WaitForChangeAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        await a.ReleaseAsync(first, CancellationToken.None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10)); // woken by the release, not by the 60 s timeout

        (await b.TryTakeAsync(CancellationToken.None)).ShouldBe(first + 1);
    }

    [Fact]
    public async Task Fence_WriteOfAnEarlierTerm_IsRefusedInItsTransaction()
    {
        var (url, store) = await NewStoreAsync();
        await using var _ = (IAsyncDisposable)store;
        await using var a = StoreFactory.OpenLease(url, "a", Ttl);
        using var old = new LeaderTerm("a", (await a.TryTakeAsync(CancellationToken.None)).ShouldNotBeNull());
        await AsLeaderAsync(old, () => store.EnsureComponentAsync("before", "release-dir")); // accepted while the lease is a's
        await a.ReleaseAsync(old.Epoch, CancellationToken.None);
        await using var b = StoreFactory.OpenLease(url, "b", Ttl);
        using var current = new LeaderTerm("b", (await b.TryTakeAsync(CancellationToken.None)).ShouldNotBeNull());

        var refused = await Should.ThrowAsync<Exception>(() => AsLeaderAsync(old, () => store.EnsureComponentAsync("stale", "release-dir")));
        await AsLeaderAsync(current, () => store.EnsureComponentAsync("current", "release-dir"));
        await store.EnsureComponentAsync("person", "release-dir"); // a person's request, on any replica: not fenced

        StoreFactory.IsStaleLeader(refused).ShouldBeTrue(refused.ToString());
        (await store.GetComponentsAsync()).Select(c => c.Name).Order().ShouldBe(["before", "current", "person"]);
    }

    [Fact]
    public async Task Fence_TermEnded_RefusesBeforeReachingTheDatabase()
    {
        var (url, store) = await NewStoreAsync();
        await using var _ = (IAsyncDisposable)store;
        await using var a = StoreFactory.OpenLease(url, "a", Ttl);
        using var term = new LeaderTerm("a", (await a.TryTakeAsync(CancellationToken.None)).ShouldNotBeNull());

        term.End(); // as a leader does when it cannot renew in time, while the database still says the lease is its

        var refused = await Should.ThrowAsync<StaleLeaderException>(() => AsLeaderAsync(term, () => store.EnsureComponentAsync("late", "release-dir")));
        refused.Message.ShouldContain("no longer writes as leader");
        (await store.GetComponentsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Fence_LeaseRanOutWithNoNewLeader_RefusesTheOldTermsWrites()
    {
        var (url, store) = await NewStoreAsync();
        await using var _ = (IAsyncDisposable)store;
        await using var a = StoreFactory.OpenLease(url, "a", TimeSpan.FromMilliseconds(200));
        using var term = new LeaderTerm("a", (await a.TryTakeAsync(CancellationToken.None)).ShouldNotBeNull());

        await Eventually.WaitAsync(async () => !(await a.ReadAsync(CancellationToken.None)).IsHeld, TimeSpan.FromSeconds(10), "the lease to run out");

        var refused = await Should.ThrowAsync<Exception>(() => AsLeaderAsync(term, () => store.EnsureComponentAsync("late", "release-dir")));
        StoreFactory.IsStaleLeader(refused).ShouldBeTrue(refused.ToString());
    }

    [Fact]
    public async Task Migrate_TableOfTheStore_CarriesTheFenceTrigger()
    {
        var (url, store) = await NewStoreAsync();
        await using var _ = (IAsyncDisposable)store;
        await store.MigrateAsync(); // a second migration adds nothing twice

        await using var database = new Npgsql.NpgsqlConnection(StoreFactory.ConnectionString(url));
        await database.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            """
            SELECT count(*) FILTER (WHERE g.tgname IS NULL), count(*) FILTER (WHERE g.tgname IS NOT NULL)
            FROM pg_class c LEFT JOIN pg_trigger g ON g.tgrelid = c.oid AND g.tgname = 'rewind_fence'
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
              AND c.relname NOT IN ('controller_lease', 'controller_replicas', 'schema_migrations')
            """,
            database);
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        reader.GetInt64(0).ShouldBe(0); // no table unfenced
        reader.GetInt64(1).ShouldBeGreaterThan(20);
    }

    private static async Task AsLeaderAsync(LeaderTerm term, Func<Task> write)
    {
        WriteFence.Enter(term); // for this call only: the flow of the caller is left as it was
        await write();
    }

    private async Task<(string Url, IStore Store)> NewStoreAsync()
    {
        var url = await fixture.CreateEmptyLocationAsync();
        var store = StoreFactory.Open(url);
        await store.MigrateAsync();
        return (url, store);
    }
}
