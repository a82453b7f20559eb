using Rewind.Core.Leadership;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Storage;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Signals;

/// <summary>
/// A leader on PostgreSQL beside a second replica (played by the test through the store, as the real one writes): the
/// component that rendezvous hashing gives the other replica is not probed by the leader, and the failing samples the
/// other replica writes open the leader's incident.
/// </summary>
public sealed class SharedSamplesTests
{
    private const string Other = "replica-b";
    private const string NotifyPolicy = "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P2, mode: notify } }";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Leader_AnotherReplicasFailingSamples_OpenItsIncident_WithoutProbingThatComponentItself()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var store = StoreFactory.Open(database.Url);
        await using var _ = (IAsyncDisposable)store;
        await store.MigrateAsync();
        var leader = Enumerable.Range(0, 100).Select(i => $"replica-a{i}").First(a => Rendezvous.OwnerOf("web", [a, Other]) == Other);
        using var stop = new CancellationTokenSource();
        var other = RunOtherReplicaAsync(store, leader, stop.Token); // holds its share and writes failing samples of web

        try
        {
            await using var server = await ServerFixture.StartAsync(store: database.Url, serverExtra: "leader-lease: 2s", policies: NotifyPolicy, options: new RewindServerOptions { Replica = leader, MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Warning });

            var incident = await Eventually.WaitAsync(async () => (await server.Client.GetIncidentsAsync()).FirstOrDefault(i => i.Component == "web"), Deadline, "the leader to open an incident from the other replica's samples");

            incident.Severity.ShouldBe("P2");
            var health = await server.Client.GetHealthAsync();
            health.Leadership!.Role.ShouldBe("leader");
            health.Leadership.Replicas.Single(r => r.Name == leader).Watching.ShouldBe(0); // web is the other replica's
            (await database.ExecuteInsideAsync($"SELECT count(*) FROM probe_samples WHERE replica = '{leader}'")).ShouldBe(0L);
        }
        finally
        {
            await stop.CancelAsync();
            await other;
        }
    }

    /// <summary>What the second replica does: renews its share every 100 ms (the lease is 2 s) and probes web, failing.</summary>
    private static async Task RunOtherReplicaAsync(IStore store, string leader, CancellationToken stop)
    {
        List<string> members = [.. new[] { leader, Other }.Order(StringComparer.Ordinal)];
        await store.RenewShareAsync(Other, members, 1, TimeProvider.System.GetUtcNow(), stop); // before the leader starts: it never watches web
        using var every = new PeriodicTimer(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await every.WaitForNextTickAsync(stop);
                await store.RenewShareAsync(Other, members, 1, TimeProvider.System.GetUtcNow(), stop);
                await store.AddSampleAsync(new ProbeSample("web", "health", TimeProvider.System.GetUtcNow(), false, 5, "HTTP 503") { Replica = Other }, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
