using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Leadership;
using Rewind.Core.Storage;
using Rewind.Engine.Shares;
using Rewind.Storage;
using Rewind.TestUtils;

namespace Rewind.Engine.Tests.Shares;

/// <summary>
/// Share leases of three replicas in one process, on a real PostgreSQL store, in virtual time: each replica renews on
/// its own turn, and after every single renewal no component is watched by two replicas.
/// </summary>
public sealed class WatchShareTests(WatchShareTests.Database database) : IClassFixture<WatchShareTests.Database>, IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(6);
    private static readonly string[] Components = [.. Enumerable.Range(0, 300).Select(i => $"svc-{i:000}")];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

    private IStore Store => database.Store;

    /// <summary>Each test starts with no share in the store (the class's tests run one after the other).</summary>
    public async Task InitializeAsync() => await database.Postgres.ExecuteInsideAsync("DELETE FROM controller_shares");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Tick_ThreeReplicas_EveryComponentWatchedByExactlyOne_AboutAThirdEach()
    {
        var replicas = new[] { Share("a"), Share("b"), Share("c") };

        var rounds = await SettleAsync(replicas);

        rounds.ShouldBeLessThanOrEqualTo(4);
        replicas.Sum(r => r.Current.Components.Count).ShouldBe(Components.Length);
        foreach (var replica in replicas)
        {
            replica.Current.Components.Count.ShouldBeInRange(70, 130, $"{replica.Replica}'s share of 300 components");
        }

        replicas[0].Shares.Select(s => (s.Replica, s.Live)).ShouldBe([("a", true), ("b", true), ("c", true)]);
    }

    [Fact]
    public async Task Tick_OneReplicaStopsRenewing_ItsComponentsPickedUpWithinTheLease_NeverTwice()
    {
        var (a, b, c) = (Share("a"), Share("b"), Share("c"));
        await SettleAsync([a, b, c]);
        var lost = c.Current.Components.ToList();
        var lastRenewal = _time.GetUtcNow();

        // c cannot reach the store from now on: its process still runs and stops watching on its own
        DateTimeOffset? stopped = null;
        DateTimeOffset? pickedUp = null;
        for (var round = 0; round < 12 && pickedUp is null; round++)
        {
            _time.Advance(Ttl / 4);
            c.LapseIfStale();
            stopped ??= c.Current.Components.Count == 0 ? _time.GetUtcNow() : null;
            ShouldNotOverlap([a, b, c]);
            foreach (var replica in new[] { a, b })
            {
                await replica.TickAsync(Components, CancellationToken.None);
                ShouldNotOverlap([a, b, c]);
            }

            pickedUp = lost.All(x => a.Current.Components.Contains(x) || b.Current.Components.Contains(x)) ? _time.GetUtcNow() : null;
        }

        stopped.ShouldNotBeNull();
        pickedUp.ShouldNotBeNull();
        (stopped.Value - lastRenewal).ShouldBeLessThan(Ttl, "c stops watching before its share can be found run out");
        (pickedUp.Value - stopped.Value).ShouldBeLessThanOrEqualTo(Ttl, "nothing unwatched for longer than the lease");
        (a.Current.Components.Count + b.Current.Components.Count).ShouldBe(Components.Length);
        a.Shares.Single(s => s.Replica == "c").Live.ShouldBeFalse();
    }

    [Fact]
    public async Task Tick_AReplicaJoins_MovesAboutAThirdToIt_OnlyFromTheOthers_NeverTwice()
    {
        var (a, b) = (Share("a"), Share("b"));
        await SettleAsync([a, b]);
        var before = (A: a.Current.Components.ToHashSet(), B: b.Current.Components.ToHashSet());
        var c = Share("c");

        var rounds = await SettleAsync([a, b, c]);

        rounds.ShouldBeLessThanOrEqualTo(4, "a join settles within a lease");
        c.Current.Components.Count.ShouldBeInRange(70, 130);
        a.Current.Components.ShouldBeSubsetOf(before.A); // a and b only gave up components, to c
        b.Current.Components.ShouldBeSubsetOf(before.B);
        (before.A.Count - a.Current.Components.Count + before.B.Count - b.Current.Components.Count).ShouldBe(c.Current.Components.Count);
    }

    [Fact]
    public async Task Watches_PausedPastThreeQuartersOfTheLease_IsFalseBeforeTheNextRenewalFindsOut()
    {
        var (a, b) = (Share("a"), Share("b"));
        await SettleAsync([a, b]);
        var mine = a.Current.Components.First();
        a.Watches(mine).ShouldBeTrue();

        _time.Advance(Ttl * 3 / 4); // the process was stopped: no tick ran

        a.Current.Components.ShouldContain(mine);
        a.Watches(mine).ShouldBeFalse();
        b.Watches(mine).ShouldBeFalse();
    }

    [Fact]
    public async Task ReleaseAsync_CleanStop_OthersTakeItsComponentsOverWithoutWaitingForTheLease()
    {
        var (a, b) = (Share("a"), Share("b"));
        await SettleAsync([a, b]);

        await b.ReleaseAsync(CancellationToken.None);
        b.Current.Components.ShouldBeEmpty();
        var rounds = await SettleAsync([a]);

        rounds.ShouldBeLessThanOrEqualTo(2);
        a.Current.Components.Count.ShouldBe(Components.Length);
        (await Store.GetSharesAsync()).Select(s => s.Replica).ShouldBe(["a"]);
    }

    [Fact]
    public async Task Tick_SoleController_WatchesEveryComponentWithoutTheStore()
    {
        var sole = new WatchShare(Store, "only", shared: false, Timeout.InfiniteTimeSpan, _time, NullLogger.Instance);
        var first = sole.Current;

        await sole.TickAsync(Components, CancellationToken.None);

        sole.Current.Components.Count.ShouldBe(Components.Length);
        first.Replaced.IsCompleted.ShouldBeTrue();
        (await Store.GetSharesAsync()).ShouldBeEmpty();
    }

    private WatchShare Share(string replica) => new(Store, replica, shared: true, Ttl, _time, NullLogger.Instance);

    /// <summary>
    /// Rounds of a quarter of the lease, each replica renewing in turn, until every component is watched by the one
    /// replica rendezvous hashing gives it among <paramref name="replicas"/>; how many rounds it took.
    /// </summary>
    private async Task<int> SettleAsync(IReadOnlyList<WatchShare> replicas)
    {
        var members = replicas.Select(r => r.Replica).ToList();
        for (var round = 1; round <= 12; round++)
        {
            _time.Advance(Ttl / 4);
            foreach (var replica in replicas)
            {
                await replica.TickAsync(Components, CancellationToken.None);
                ShouldNotOverlap(replicas);
            }

            if (replicas.All(r => r.Current.Components.SetEquals(Rendezvous.Owned(r.Replica, Components, members))))
            {
                return round;
            }
        }

        throw new ShouldAssertException($"not settled after 12 rounds: {string.Join(", ", replicas.Select(r => $"{r.Replica} {r.Current.Components.Count}"))}");
    }

    private static void ShouldNotOverlap(IReadOnlyList<WatchShare> replicas)
    {
        var twice = replicas.SelectMany(r => r.Current.Components).GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        twice.ShouldBeEmpty("components watched by two replicas at once");
    }

    /// <summary>One migrated PostgreSQL store for the class.</summary>
    public sealed class Database : IAsyncLifetime
    {
        private PostgresDatabase? _postgres;
        private IStore? _store;

        public PostgresDatabase Postgres => _postgres!;

        public IStore Store => _store!;

        public async Task InitializeAsync()
        {
            _postgres = await PostgresDatabase.CreateAsync();
            _store = StoreFactory.Open(_postgres.Url);
            await _store.MigrateAsync();
        }

        public async Task DisposeAsync()
        {
            await ((IAsyncDisposable)Store).DisposeAsync();
            await Postgres.DisposeAsync();
        }
    }
}
