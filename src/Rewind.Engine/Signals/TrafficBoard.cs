using System.Collections.Concurrent;
using Rewind.Core.Signals;
using Rewind.Core.Signals.Metrics;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Signals;

/// <summary>
/// Per-release traffic totals and latency histograms (the baselines of the regression tests, and "no data is not
/// health" for bake), kept in the store so a restarted controller still knows what its last known good served; the
/// newest delta of every scrape; and, in memory for the dashboard's charts, the last <see cref="HistoryLength"/> deltas of each component.
/// </summary>
internal sealed class TrafficBoard(IStore store, StoreWrites writes, TimeProvider time)
{
    /// <summary>Deltas kept per component for charts. Default 240 (two minutes of 500 ms scrapes).</summary>
    public const int HistoryLength = 240;

    private readonly ConcurrentDictionary<(string Component, string Scrape), TrafficDelta> _latest = new();
    private readonly ConcurrentDictionary<string, Queue<(DateTimeOffset At, string Scrape, TrafficDelta Delta)>> _history = new(StringComparer.Ordinal);

    public async Task RecordAsync(string component, string scrape, string? version, TrafficDelta delta, CancellationToken cancellationToken = default)
    {
        _latest[(component, scrape)] = delta;
        var history = _history.GetOrAdd(component, _ => new Queue<(DateTimeOffset, string, TrafficDelta)>());
        lock (history)
        {
            history.Enqueue((time.GetUtcNow(), scrape, delta));
            while (history.Count > HistoryLength)
            {
                history.Dequeue();
            }
        }

        if (version is null)
        {
            return;
        }

        // A total the store refuses is lost for the baseline, not for the decision: the test in memory has the delta.
        await writes.TryAsync("traffic totals", async () =>
        {
            if (delta.Requests > 0)
            {
                await store.AddReleaseTrafficAsync(component, version, delta.Requests, delta.Bad, time.GetUtcNow(), cancellationToken);
            }

            if (delta.Latency is [.., (_, > 0)])
            {
                await store.AddReleaseLatencyAsync(component, version, delta.Latency, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>The release's latency histogram totals, cumulative per bucket bound, ascending; empty when none was counted.</summary>
    public Task<IReadOnlyList<(double UpperBound, double CumulativeCount)>> LatencyOfAsync(string component, string version, CancellationToken cancellationToken = default) =>
        store.GetReleaseLatencyAsync(component, version, cancellationToken);

    public Task<ReleaseTraffic?> OfAsync(string component, string version, CancellationToken cancellationToken = default) =>
        store.GetReleaseTrafficAsync(component, version, cancellationToken);

    /// <summary>The component's recent deltas, oldest first.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Scrape, TrafficDelta Delta)> History(string component)
    {
        if (!_history.TryGetValue(component, out var history))
        {
            return [];
        }

        lock (history)
        {
            return [.. history];
        }
    }

    public TrafficDelta? Latest(string component, string scrape) => _latest.TryGetValue((component, scrape), out var delta) ? delta : null;
}
