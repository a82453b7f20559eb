using System.Collections.Concurrent;
using Rewind.Core.Signals;

namespace Rewind.Engine.Signals;

/// <summary>
/// The newest sample of every probe, in memory, for health answers that never wait on the store. A probe counts as
/// failing once it has failed its <c>failure-threshold</c> of runs in a row; fewer failures are blips, shown with
/// their error but neither failing the component nor restarting its bake. Beside the health of the components it holds
/// the monitor's own (<see cref="Monitor"/>): whether the controller runs its probes on time.
/// </summary>
internal sealed class HealthBoard(MonitorHealth monitor)
{
    private readonly ConcurrentDictionary<(string Component, string Probe), ProbeSample> _latest = new();
    private readonly ConcurrentDictionary<(string Component, string Probe), int> _failuresInARow = new();
    private readonly ConcurrentDictionary<(string Component, string Probe), DateTimeOffset> _lastPass = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastFailure = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Component, string Probe), DateTimeOffset> _notMeasured = new();

    /// <summary>The controller's own health: how late its probes run, how slow its store writes are, which failures are shared.</summary>
    public MonitorHealth Monitor => monitor;

    public void Update(ProbeSample sample, int failureThreshold = 1)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var key = (sample.Component, sample.Probe);
        _latest[key] = sample;
        _notMeasured.TryRemove(key, out _);
        if (sample.Success)
        {
            _lastPass[key] = sample.At;
            _failuresInARow[key] = 0;
        }
        else if (_failuresInARow.AddOrUpdate(key, 1, (_, n) => n + 1) >= failureThreshold)
        {
            _lastFailure[sample.Component] = sample.At;
        }
    }

    /// <summary>Each probe of the component with its failure threshold.</summary>
    public static IReadOnlyCollection<KeyValuePair<string, int>> Thresholds(Rewind.Core.Configuration.ComponentConfig component)
    {
        ArgumentNullException.ThrowIfNull(component);
        return [.. component.Probes.Select(p => KeyValuePair.Create(p.Key, p.Value.FailureThreshold))];
    }

    public ProbeSample? Latest(string component, string probe) => _latest.GetValueOrDefault((component, probe));

    /// <summary>
    /// The probe is not measured now: a host's probe whose agent sent no sample for too long. Its newest sample stays
    /// shown, but it counts as neither failing nor passing until the next sample (<see cref="Update"/>).
    /// </summary>
    public void NotMeasured(string component, string probe, DateTimeOffset since) => _notMeasured.TryAdd((component, probe), since);

    /// <summary>Since when the probe is not measured; null while it is (or before it was ever marked).</summary>
    public DateTimeOffset? NotMeasuredSince(string component, string probe) =>
        _notMeasured.TryGetValue((component, probe), out var since) ? since : null;

    /// <summary>True when the probe has failed its threshold in a row, false when not, null before its first sample and while it is not measured.</summary>
    public bool? IsFailing(string component, string probe, int failureThreshold) =>
        _latest.ContainsKey((component, probe)) && !_notMeasured.ContainsKey((component, probe)) ? _failuresInARow.GetValueOrDefault((component, probe)) >= failureThreshold : null;

    /// <summary>
    /// healthy when every probe has passed and none is failing (at its threshold), failing when any is, unknown when
    /// one has no sample yet, is not measured, or has only failed, fewer times than its threshold.
    /// </summary>
    public string Health(string component, IEnumerable<KeyValuePair<string, int>> probes)
    {
        var states = probes.Select(p => (Failing: IsFailing(component, p.Key, p.Value), Passed: _lastPass.ContainsKey((component, p.Key)))).ToList();
        if (states.Count == 0 || states.Any(s => s.Failing is null))
        {
            return "unknown";
        }

        if (states.Any(s => s.Failing == true))
        {
            return "failing";
        }

        return states.All(s => s.Passed) ? "healthy" : "unknown";
    }

    /// <summary>
    /// True when the component has run healthy, with no probe failing, for <paramref name="span"/> since
    /// <paramref name="since"/>, and every probe passed at least once in that run: no data is not health.
    /// </summary>
    public bool HealthyFor(string component, IReadOnlyCollection<KeyValuePair<string, int>> probes, DateTimeOffset since, TimeSpan span, DateTimeOffset now)
    {
        var runStart = _lastFailure.TryGetValue(component, out var failure) && failure > since ? failure : since;
        return now - runStart >= span
            && Health(component, probes) == "healthy"
            && probes.All(p => _lastPass.TryGetValue((component, p.Key), out var pass) && pass > runStart);
    }
}
