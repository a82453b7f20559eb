using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Rewind.Core.Signals;
using Rewind.Engine.Shares;

namespace Rewind.Engine.Tests.Shares;

/// <summary>
/// The tail of the samples every replica writes, on a real PostgreSQL store where two writers' places commit out of
/// order: a place skipped because its write had not committed yet is read once it has.
/// </summary>
public sealed class SampleTailTests(WatchShareTests.Database database) : IClassFixture<WatchShareTests.Database>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task NextAsync_AWriteCommittedAfterALaterOne_IsReadOnceCommitted_NothingTwice()
    {
        var tail = new SampleTail(database.Store, _time);
        (await tail.NextAsync(CancellationToken.None)).ShouldBeEmpty(); // starts at the newest: history is not replayed

        await using var slow = await OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await InsertAsync(slow, "slow", "b"); // its place is taken now, committed later
        var fast = new ProbeSample("fast", "health", _time.GetUtcNow(), false, 3, "HTTP 503") { Replica = "c" };
        await database.Store.AddSampleAsync(fast);

        (await tail.NextAsync(CancellationToken.None)).Select(s => s.Sample).ShouldBe([fast]);
        await transaction.CommitAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        var late = await tail.NextAsync(CancellationToken.None);

        late.Select(s => (s.Sample.Component, s.Sample.Replica)).ShouldBe([("slow", "b")]);
        (await tail.NextAsync(CancellationToken.None)).ShouldBeEmpty();
        tail.GivenUp.ShouldBe(0);
    }

    [Fact]
    public async Task NextAsync_AWriteRolledBack_IsGivenUpAfterTheGrace()
    {
        var tail = new SampleTail(database.Store, _time);
        await tail.NextAsync(CancellationToken.None);
        await using (var slow = await OpenAsync())
        {
            await using var transaction = await slow.BeginTransactionAsync();
            await InsertAsync(slow, "rolled-back", "b");
            await transaction.RollbackAsync();
        }

        await database.Store.AddSampleAsync(new ProbeSample("after", "health", _time.GetUtcNow(), true, 1) { Replica = "c" });
        (await tail.NextAsync(CancellationToken.None)).Count.ShouldBe(1);
        tail.GivenUp.ShouldBe(0);

        _time.Advance(SampleTail.Grace + TimeSpan.FromSeconds(1));
        (await tail.NextAsync(CancellationToken.None)).ShouldBeEmpty();

        tail.GivenUp.ShouldBe(1);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var uri = new Uri(database.Postgres.Url);
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]),
            Database = uri.AbsolutePath.Trim('/'),
            Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task InsertAsync(NpgsqlConnection connection, string component, string replica)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO probe_samples (component, probe, at, success, latency_ms, replica) VALUES (@c, 'health', @at, false, 5, @r)", connection);
        insert.Parameters.AddWithValue("c", component);
        insert.Parameters.AddWithValue("at", _time.GetUtcNow().ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("r", replica);
        await insert.ExecuteNonQueryAsync();
    }
}
