using System.Collections.Concurrent;
using Rewind.Core.Signals.Metrics;

namespace Rewind.Server.Signals;

/// <summary>Requests and bad events each release has served while this controller watched, from the scrapes.</summary>
internal sealed record ReleaseTraffic(double Requests, double Bad)
{
    public double BadRatio => Requests > 0 ? Bad / Requests : 0;
}

/// <summary>
/// Per-release traffic totals (the baseline of the regression test, and "no data is not health" for bake) and the
/// newest delta of every scrape. In memory: a restarted controller measures baselines afresh.
/// </summary>
internal sealed class TrafficBoard
{
    private readonly ConcurrentDictionary<(string Component, string Version), ReleaseTraffic> _releases = new();
    private readonly ConcurrentDictionary<(string Component, string Scrape), TrafficDelta> _latest = new();

    public void Record(string component, string scrape, string? version, TrafficDelta delta)
    {
        _latest[(component, scrape)] = delta;
        if (version is not null)
        {
            _releases.AddOrUpdate((component, version), new ReleaseTraffic(delta.Requests, delta.Bad), (_, t) => new ReleaseTraffic(t.Requests + delta.Requests, t.Bad + delta.Bad));
        }
    }

    public ReleaseTraffic? Of(string component, string version) => _releases.TryGetValue((component, version), out var traffic) ? traffic : null;

    public TrafficDelta? Latest(string component, string scrape) => _latest.TryGetValue((component, scrape), out var delta) ? delta : null;
}
