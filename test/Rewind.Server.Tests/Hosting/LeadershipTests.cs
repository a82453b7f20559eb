using Npgsql;
using Rewind.Client;
using Rewind.Core.Leadership;
using Rewind.Storage;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Hosting;

/// <summary>Who leads, as the health answer and the metrics say it, on a real SQLite and a real PostgreSQL store.</summary>
public sealed class LeadershipTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void LeaderlessSince_HostClockAnHourOffTheDatabases_IsWhenTheLeaseRanOutOnTheHostsClock()
    {
        var leadership = new Server.Hosting.Leadership("a", shared: true, TimeSpan.FromSeconds(6), TimeProvider.System);
        var database = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var host = database.AddHours(1);

        leadership.Observe(new LeaseView("b", 4, database.AddSeconds(-30), database.AddSeconds(-16), database.AddSeconds(-10), database), host);

        leadership.LeaderlessSince.ShouldBe(host.AddSeconds(-10));
        leadership.Observe(new LeaseView("b", 4, database.AddSeconds(-30), database.AddSeconds(-16), database.AddSeconds(-10), database.AddSeconds(5)), host.AddSeconds(5));
        leadership.LeaderlessSince.ShouldBe(host.AddSeconds(-10)); // kept from the first time it was seen
        leadership.Observe(new LeaseView("c", 5, database.AddSeconds(6), database.AddSeconds(6), database.AddSeconds(12), database.AddSeconds(6)), host.AddSeconds(6));
        leadership.LeaderlessSince.ShouldBeNull();
    }

    [Fact]
    public async Task Health_SqliteStore_TheOneControllerLeadsAndIsListed()
    {
        await using var server = await ServerFixture.StartAsync();

        var leadership = await Eventually.WaitAsync(async () => (await server.Client.GetHealthAsync()).Leadership is { Replicas.Count: 1 } l ? l : null, Deadline, "the controller to list itself");

        leadership.Role.ShouldBe("sole");
        leadership.Leader.ShouldBe(leadership.Replica);
        leadership.LeaseMs.ShouldBeNull();
        leadership.Replicas[0].ShouldSatisfyAllConditions(r => r.Name.ShouldBe(leadership.Replica), r => r.Leader.ShouldBeTrue(), r => r.Alive.ShouldBeTrue(), r => r.Pid.ShouldBe(Environment.ProcessId));
        var metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        metrics.ShouldContain($"rewind_leader{{replica=\"{leadership.Replica}\"}} 1");
        metrics.ShouldContain("rewind_replicas 1");
    }

    [Fact]
    public async Task Health_PostgresLeaseHeldUpBeyondTheLease_PagesNoLeaderThenLeadsOnceFree()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using (var store = (IAsyncDisposable)StoreFactory.Open(database.Url))
        {
            await ((Rewind.Core.Storage.IStore)store).MigrateAsync();
        }

        // A session that holds the lease row, as a stuck migration or a runaway query might: no replica can take it.
        await using var blocker = new NpgsqlConnection(ConnectionString(database.Url));
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var select = new NpgsqlCommand("SELECT epoch FROM controller_lease WHERE id = 1 FOR UPDATE", blocker, hold))
        {
            await select.ExecuteScalarAsync();
        }

        await using var server = await ServerFixture.StartAsync(store: database.Url, serverExtra: "leader-lease: 1s");
        var refused = await Eventually.WaitAsync(
            async () => await RefusalOrNullAsync(server) is { Title: "no leader" } e ? e : null,
            Deadline,
            "the health answer to say no replica leads");
        refused.Status.ShouldBe(503);
        refused.Detail!.ShouldContain("no replica has held the leader lease for");

        await hold.RollbackAsync();
        var leadership = await Eventually.WaitAsync(async () => await HealthOrNullAsync(server) is { Leadership.Role: "leader" } h ? h.Leadership : null, Deadline, "the replica to lead once the row is free");
        leadership.Epoch.ShouldBe(1);
        leadership.LeaseMs.ShouldBe(1000);
        leadership.Leader.ShouldBe(leadership.Replica);
    }

    private static async Task<ControllerHealthDto?> HealthOrNullAsync(ServerFixture server)
    {
        try
        {
            return await server.Client.GetHealthAsync();
        }
        catch (RewindApiException)
        {
            return null; // the fault stays raised until the next look clears it
        }
    }

    private static async Task<RewindApiException?> RefusalOrNullAsync(ServerFixture server)
    {
        try
        {
            await server.Client.GetHealthAsync();
            return null;
        }
        catch (RewindApiException ex)
        {
            return ex;
        }
    }

    private static string ConnectionString(string url)
    {
        var uri = new Uri(url);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]),
            Database = uri.AbsolutePath.Trim('/'),
            Pooling = false,
        }.ConnectionString;
    }
}
