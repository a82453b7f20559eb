using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine.Metrics;
using Rewind.Engine.Signals;

namespace Rewind.Engine.Hosting;

/// <summary>
/// Probe samples on their way to the store, in batches: one transaction of up to <see cref="BatchSize"/> samples every
/// <see cref="FlushEvery"/>, not one per sample. The decision never waits on it: <see cref="Add"/> only queues. The queue
/// is bounded (<see cref="Capacity"/>); when the store falls that far behind, a sample is dropped and counted rather than
/// a probe kept waiting. A batch the store refuses (down, its disk full) is counted as <see cref="StoreWrites"/> says and
/// kept in memory only, as a single sample was before: the health board and the decision engine have it already.
/// </summary>
internal sealed class SampleWriter(IStore store, StoreWrites writes, HealthBoard board, ControllerMetrics metrics, TimeProvider time, ILogger<SampleWriter> logger)
{
    /// <summary>The most samples one transaction writes: 1,000.</summary>
    public const int BatchSize = 1000;

    /// <summary>The most samples queued: 100,000 (ten seconds at 10,000 samples/s); more are dropped and counted.</summary>
    public const int Capacity = 100_000;

    /// <summary>How long a sample waits in the queue at most before its batch is written: 100 ms.</summary>
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the writes at shutdown may take: 5 s.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan DropLogEvery = TimeSpan.FromMinutes(1);

    private readonly Channel<ProbeSample> _queue = Channel.CreateBounded<ProbeSample>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private long _dropped;
    private long _droppedLoggedAt = long.MinValue;

    /// <summary>Samples dropped so far because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Samples queued and not written yet.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Queues <paramref name="sample"/> for the store and returns at once; false, counted, when the queue is full.</summary>
    public bool Add(ProbeSample sample)
    {
        if (_queue.Writer.TryWrite(sample))
        {
            return true;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        metrics.SamplesDropped.Inc();
        var now = time.GetUtcNow().UtcTicks;
        var logged = Interlocked.Read(ref _droppedLoggedAt);
        if (now - logged >= DropLogEvery.Ticks && Interlocked.CompareExchange(ref _droppedLoggedAt, now, logged) == logged)
        {
            EngineLog.SamplesDropped(logger, dropped, Capacity);
        }

        return false;
    }

    /// <summary>Writes the queued samples in batches until <paramref name="stoppingToken"/> stops it, then what is still queued.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ProbeSample>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                if (_queue.Reader.Count < BatchSize)
                {
                    await Task.Delay(FlushEvery, time, stoppingToken); // gather a batch; a full one goes at once
                }

                await WriteQueuedAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: what is queued is written below
        }

        await WriteAtStopAsync(batch);
    }

    private async Task WriteAtStopAsync(List<ProbeSample> batch)
    {
        using var limit = new CancellationTokenSource(StopTimeout, time);
        try
        {
            await WriteQueuedAsync(batch, limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            EngineLog.SamplesLeftAtStop(logger, batch.Count + _queue.Reader.Count, $"the store took longer than {Durations.Format(StopTimeout)}");
        }
    }

    /// <summary>Writes every sample queued now, <see cref="BatchSize"/> at a time.</summary>
    private async Task WriteQueuedAsync(List<ProbeSample> batch, CancellationToken cancellationToken)
    {
        while (_queue.Reader.TryRead(out var sample))
        {
            batch.Add(sample);
            if (batch.Count >= BatchSize)
            {
                await WriteAsync(batch, cancellationToken);
            }
        }

        await WriteAsync(batch, cancellationToken);
    }

    /// <summary>One batch in one transaction; the monitor's health hears how long it took, also when it failed.</summary>
    private async Task WriteAsync(List<ProbeSample> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            if (!await writes.TryAsync("samples", () => store.AddSamplesAsync(batch, cancellationToken), cancellationToken))
            {
                metrics.SamplesUnstored.Add(batch.Count);
            }

            batch.Clear(); // written or refused; a write cut short by the stop keeps its batch for the writes at stop
        }
        finally
        {
            var took = time.GetElapsedTime(started);
            board.Monitor.RecordStoreWrite(time.GetUtcNow(), took);
            metrics.StoreWriteDuration.Observe(took.TotalSeconds);
        }
    }
}
