using System.Collections.Concurrent;
using Rewind.Core.Signals;

namespace Rewind.Server.Signals;

/// <summary>The newest sample of every probe, in memory, for health answers that never wait on the store.</summary>
internal sealed class HealthBoard
{
    private readonly ConcurrentDictionary<(string Component, string Probe), ProbeSample> _latest = new();
    private readonly ConcurrentDictionary<(string Component, string Probe), DateTimeOffset> _lastPass = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastFailure = new(StringComparer.Ordinal);

    public void Update(ProbeSample sample)
    {
        _latest[(sample.Component, sample.Probe)] = sample;
        if (sample.Success)
        {
            _lastPass[(sample.Component, sample.Probe)] = sample.At;
        }
        else
        {
            _lastFailure[sample.Component] = sample.At;
        }
    }

    public ProbeSample? Latest(string component, string probe) => _latest.GetValueOrDefault((component, probe));

    /// <summary>healthy when every probe's newest sample passed, failing when any failed, unknown when one has none.</summary>
    public string Health(string component, IEnumerable<string> probes)
    {
        var samples = probes.Select(p => Latest(component, p)).ToList();
        if (samples.Count == 0 || samples.Any(s => s is null))
        {
            return "unknown";
        }

        return samples.All(s => s!.Success) ? "healthy" : "failing";
    }

    /// <summary>
    /// True when the component has run healthy, with no failed sample of any probe, for <paramref name="span"/> since
    /// <paramref name="since"/>, and every probe passed at least once in that run: no data is not health.
    /// </summary>
    public bool HealthyFor(string component, IReadOnlyCollection<string> probes, DateTimeOffset since, TimeSpan span, DateTimeOffset now)
    {
        var runStart = _lastFailure.TryGetValue(component, out var failure) && failure > since ? failure : since;
        return now - runStart >= span
            && Health(component, probes) == "healthy"
            && probes.All(p => _lastPass.TryGetValue((component, p), out var pass) && pass > runStart);
    }
}
