using System.Collections.Concurrent;
using Rewind.Core.Signals;
using Rewind.Core.Signals.Metrics;
using Rewind.Core.Storage;

namespace Rewind.Server.Signals;

/// <summary>
/// Per-release traffic totals (the baseline of the regression test, and "no data is not health" for bake), kept in
/// the store so a restarted controller still knows what its last known good served; and the newest delta of every scrape.
/// </summary>
internal sealed class TrafficBoard(IStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Component, string Scrape), TrafficDelta> _latest = new();

    public async Task RecordAsync(string component, string scrape, string? version, TrafficDelta delta, CancellationToken cancellationToken = default)
    {
        _latest[(component, scrape)] = delta;
        if (version is not null && delta.Requests > 0)
        {
            await store.AddReleaseTrafficAsync(component, version, delta.Requests, delta.Bad, time.GetUtcNow(), cancellationToken);
        }
    }

    public Task<ReleaseTraffic?> OfAsync(string component, string version, CancellationToken cancellationToken = default) =>
        store.GetReleaseTrafficAsync(component, version, cancellationToken);

    public TrafficDelta? Latest(string component, string scrape) => _latest.TryGetValue((component, scrape), out var delta) ? delta : null;
}
