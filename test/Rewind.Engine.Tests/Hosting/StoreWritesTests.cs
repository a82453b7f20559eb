using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Leadership;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Tests.Hosting;

/// <summary>The controller's bulk writes: a refusal by the store counts against its health, a refusal by the fence does not.</summary>
public sealed class StoreWritesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 13, 0, 0, TimeSpan.Zero));
    private readonly StoreHealth _health = new();

    [Fact]
    public async Task TryAsync_RefusedByTheFence_IsNotWrittenAndLeavesTheStoreWritable()
    {
        var writes = Writes();

        var written = await writes.TryAsync("samples", () => throw new StaleLeaderException("the term of a (epoch 1) is over"), CancellationToken.None);

        written.ShouldBeFalse();
        _health.Status().Writable.ShouldBeTrue("a replica that no longer leads says nothing of the store");
    }

    [Fact]
    public async Task TryAsync_RefusedByTheStore_CountsAgainstItsHealth()
    {
        var writes = Writes();

        var written = await writes.TryAsync("samples", () => throw new IOException("disk I/O error"), CancellationToken.None);

        written.ShouldBeFalse();
        _health.Status().ShouldSatisfyAllConditions(s => s.Writable.ShouldBeFalse(), s => s.LastError!.ShouldContain("disk I/O error"));
    }

    private StoreWrites Writes() => new(_health, new StoreReserve(null), new RewindEngineOptions(), _time, NullLogger<StoreWrites>.Instance);
}
