using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Metrics;
using Rewind.Engine.Signals;
using Rewind.Storage;
using Rewind.TestUtils;

namespace Rewind.Engine.Tests.Hosting;

/// <summary>Probe samples written in batches: never waited on, bounded in memory, written at the latest when the writer stops.</summary>
public sealed class SampleWriterTests : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private readonly StoreHealth _health = new();
    private readonly ControllerMetrics _metrics = new();
    private readonly string _root = Directory.CreateTempSubdirectory("rewind-samples-").FullName;

    [Fact]
    public async Task RunAsync_SamplesQueued_WritesThemInABatchOnceTheFlushPeriodHasPassed()
    {
        var store = await SqliteAsync();
        var writer = Writer(store);
        using var stop = new CancellationTokenSource();
        var running = writer.RunAsync(stop.Token);

        Samples(10).ForEach(s => writer.Add(s).ShouldBeTrue());
        await Eventually.WaitAsync(async () => { _time.Advance(SampleWriter.FlushEvery); return await store.GetRecentSamplesAsync("web", "health", 100) is { Count: 10 } all ? all : null; }, Deadline, "the batch to be written");

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_Stopped_WritesEverySampleStillQueued()
    {
        var store = await SqliteAsync();
        var writer = Writer(store);
        using var stop = new CancellationTokenSource();
        var running = writer.RunAsync(stop.Token);
        Samples(SampleWriter.BatchSize + 500).ForEach(s => writer.Add(s));

        await stop.CancelAsync();
        await running;

        (await store.GetRecentSamplesAsync("web", "health", 5000)).Count.ShouldBe(SampleWriter.BatchSize + 500);
        writer.Queued.ShouldBe(0);
    }

    [Fact]
    public async Task Add_StoreDown_NeverWaitsAndCountsWhatItCouldNotWrite()
    {
        var down = StoreFactory.Open("postgres://postgres@127.0.0.1:1/rewind", _time); // nothing listens there
        var writer = Writer(down);
        using var stop = new CancellationTokenSource();
        var running = writer.RunAsync(stop.Token);

        Samples(20).ForEach(s => writer.Add(s).ShouldBeTrue());
        await Eventually.WaitAsync(() => { _time.Advance(SampleWriter.FlushEvery); return Task.FromResult(_health.Status().Writable ? null : _health.Status()); }, Deadline, "the refused batch to be counted");
        await stop.CancelAsync();
        await running;

        _health.Status().LastError.ShouldNotBeNull();
        writer.Queued.ShouldBe(0, "a refused batch is kept in memory only (the board and the decisions have it), not queued forever");
        await ((IAsyncDisposable)down).DisposeAsync();
    }

    [Fact]
    public async Task Add_QueueFull_DropsAndCountsInsteadOfWaiting()
    {
        var down = StoreFactory.Open("postgres://postgres@127.0.0.1:1/rewind", _time);
        var writer = Writer(down); // not running: the store fell behind entirely

        var taken = Samples(SampleWriter.Capacity + 3).Count(writer.Add);

        taken.ShouldBe(SampleWriter.Capacity);
        writer.Dropped.ShouldBe(3);
        (await _metrics.Registry.WriteAsync()).ShouldContain("rewind_probe_samples_dropped_total 3");
        await ((IAsyncDisposable)down).DisposeAsync();
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task<IStore> SqliteAsync()
    {
        var store = StoreFactory.Open("sqlite:" + Path.Combine(_root, "rewind.db"), _time);
        await store.MigrateAsync();
        return store;
    }

    private SampleWriter Writer(IStore store) => new(
        store,
        new StoreWrites(_health, new StoreReserve(null), new RewindEngineOptions(), _time, NullLogger<StoreWrites>.Instance),
        new HealthBoard(new MonitorHealth()),
        _metrics,
        _time,
        NullLogger<SampleWriter>.Instance);

    private List<ProbeSample> Samples(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ProbeSample("web", "health", _time.GetUtcNow().AddMilliseconds(i), i % 5 != 0, 3, i % 5 == 0 ? "status 503" : null))];
}
