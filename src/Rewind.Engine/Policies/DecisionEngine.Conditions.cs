using System.Collections.Concurrent;
using System.Globalization;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Policies;
using Rewind.Core.Policies.Conditions;
using Rewind.Core.Signals;

namespace Rewind.Engine.Policies;

/// <summary>
/// The conditions beyond "probe failing for": a signal beyond a threshold, a count in a window, a fraction of member
/// probes failing, a trend that reaches a limit, and composites of other policies. Each evaluation says whether the
/// condition holds now; <see cref="PolicyState"/> adds the hysteresis (min-failures, for, recover-after).
/// </summary>
internal sealed partial class DecisionEngine
{
    private readonly ConcurrentDictionary<(string Component, string Source), EventWindow> _windows = new();
    private readonly ConcurrentDictionary<(string Component, string Policy), LinearTrend> _trends = new();
    private readonly ConcurrentDictionary<(string Component, string Signal), SignalPoint> _lastSignal = new();

    /// <summary>The latest value of every signal seen, for the API and the CLI.</summary>
    public IReadOnlyList<SignalPoint> LatestSignals(string component) =>
        _lastSignal.Where(s => string.Equals(s.Key.Component, component, StringComparison.Ordinal)).Select(s => s.Value).OrderBy(s => s.Signal, StringComparer.Ordinal).ToList();

    /// <summary>One value of a numeric signal (a PromQL query, a scrape's derived signal or gauge).</summary>
    public async Task ObserveSignalAsync(SignalPoint point, CancellationToken cancellationToken = default)
    {
        using var pinned = config.Pin(); // one config for the whole observation, whatever a reload does meanwhile
        if (config.Component(point.Component) is not { } component)
        {
            return;
        }

        _lastSignal[(point.Component, point.Signal)] = point;
        await WithLockAsync(point.Component, async () =>
        {
            var (acting, tracking, version) = await GateAsync(point.Component, component, cancellationToken);
            foreach (var (name, policy) in component.Policies.Where(p => p.Value.When.Trend?.Signal == point.Signal && point.Value is not null))
            {
                _trends.GetOrAdd((point.Component, name), _ => new LinearTrend(policy.When.Trend!.Over)).Add(point.At, point.Value!.Value);
            }

            if (!tracking)
            {
                return;
            }

            foreach (var (name, policy) in component.Policies.Where(p => p.Value.When.Signal?.Name == point.Signal))
            {
                var signal = policy.When.Signal!;
                if (SignalThreshold.Holds(signal, point.Value) is { } holds)
                {
                    await ApplyAsync(point.Component, component, name, policy, holds, point.At, signal.For, SignalThreshold.Describe(signal, point.Value, point.Error), version, cancellationToken, act: acting);
                }
            }

            foreach (var (name, policy) in component.Policies.Where(p => p.Value.When.Trend?.Signal == point.Signal && point.Value is not null))
            {
                var (holds, evidence) = EvaluateTrend(point.Component, name, policy.When.Trend!, point.At);
                await ApplyAsync(point.Component, component, name, policy, holds, point.At, TimeSpan.Zero, evidence, version, cancellationToken, act: acting);
            }
        });
    }

    /// <summary>Events the application pushed (payment failures, auth failures…): counted in windows, evaluated at once.</summary>
    public async Task ObserveEventAsync(string componentName, string kind, long count, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var pinned = config.Pin(); // one config for the whole observation, whatever a reload does meanwhile
        if (config.Component(componentName) is not { } component)
        {
            return;
        }

        await WithLockAsync(componentName, async () =>
        {
            Window(componentName, component, $"event:{kind}").Add(at, count);
            var (acting, _, version) = await GateAsync(componentName, component, cancellationToken);
            if (acting)
            {
                await EvaluateCountsAsync(componentName, component, c => c.Events == kind, version, cancellationToken);
            }
        });
    }

    /// <summary>Time-based conditions change with no new sample (a window slides, a member stays down): evaluated once a second.</summary>
    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        using var pinned = config.Pin(); // one config for the whole observation, whatever a reload does meanwhile
        foreach (var (name, component) in config.Current.Components)
        {
            var timed = component.Policies.Values.Any(p => p.When.Count is not null || p.When.Fraction is not null || p.When.Composite is not null);
            // components without probes pass through the gate here, so a fix deployed to them is noticed too
            if (!timed && !_held.ContainsKey(name) && !_awaitingRecovery.GetValueOrDefault(name) && (component.Probes.Count > 0 || component.Policies.Count == 0))
            {
                continue;
            }

            await WithLockAsync(name, async () =>
            {
                var (acting, _, version) = await GateAsync(name, component, cancellationToken);
                if (!acting)
                {
                    return;
                }

                if (timed)
                {
                    await EvaluateCountsAsync(name, component, _ => true, version, cancellationToken);
                    await EvaluateFractionsAsync(name, component, _ => true, version, cancellationToken);
                    await EvaluateCompositesAsync(name, component, version, cancellationToken);
                }

                await ActOnHeldAsync(name, component, version, cancellationToken);
                await ResolveCarriedOverIncidentAsync(name, component, version, cancellationToken);
            });
        }
    }

    /// <summary>Probe failures feed counts in a window; recorded even while policies are suspended. Member fractions read the health board.</summary>
    private void RecordProbe(ProbeSample sample, ComponentConfig component)
    {
        if (!sample.Success && component.Policies.Values.Any(p => p.When.Count?.ProbeFailures == sample.Probe))
        {
            Window(sample.Component, component, $"probe:{sample.Probe}").Add(sample.At, 1);
        }
    }

    private async Task EvaluateProbeConditionsAsync(ProbeSample sample, ComponentConfig component, string? version, CancellationToken cancellationToken)
    {
        await EvaluateCountsAsync(sample.Component, component, c => c.ProbeFailures == sample.Probe, version, cancellationToken);
        await EvaluateFractionsAsync(sample.Component, component, f => Members(component, f).Contains(sample.Probe, StringComparer.Ordinal), version, cancellationToken);
    }

    private async Task EvaluateCountsAsync(string componentName, ComponentConfig component, Func<CountConditionConfig, bool> which, string? version, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (name, policy) in component.Policies.Where(p => p.Value.When.Count is { } c && which(c)))
        {
            var count = policy.When.Count!;
            var source = count.Events is { } kind ? $"event:{kind}" : $"probe:{count.ProbeFailures}";
            var seen = Window(componentName, component, source).Count(now, count.In);
            var what = count.Events is { } events ? $"{events} events" : $"failed samples of probe {count.ProbeFailures}";
            var evidence = string.Create(CultureInfo.InvariantCulture, $"{seen} {what} in the last {Durations.Format(count.In)} (limit above {count.Above})");
            await ApplyAsync(componentName, component, name, policy, seen > count.Above, now, TimeSpan.Zero, evidence, version, cancellationToken);
        }
    }

    private async Task EvaluateFractionsAsync(string componentName, ComponentConfig component, Func<FractionConditionConfig, bool> which, string? version, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (name, policy) in component.Policies.Where(p => p.Value.When.Fraction is { } f && which(f)))
        {
            var fraction = policy.When.Fraction!;
            var (holds, evidence) = MemberFraction.Evaluate(fraction, Members(component, fraction),
                probe => health.IsFailing(componentName, probe, component.Probes[probe].FailureThreshold) is { } failing ? !failing : null);
            await ApplyAsync(componentName, component, name, policy, holds, now, fraction.For, evidence, version, cancellationToken);
        }
    }

    private async Task EvaluateCompositesAsync(string componentName, ComponentConfig component, string? version, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var plain = component.Policies.Where(p => p.Value.When.Composite is null)
            .ToDictionary(p => p.Key, p => (StateOf(componentName, p.Key).Firing, p.Value.Severity), StringComparer.Ordinal);
        foreach (var (name, policy) in component.Policies.Where(p => p.Value.When.Composite is not null))
        {
            var (holds, evidence) = Composite.Evaluate(policy.When.Composite!, name, plain);
            await ApplyAsync(componentName, component, name, policy, holds, now, TimeSpan.Zero, evidence, version, cancellationToken);
        }
    }

    private (bool Holds, string Evidence) EvaluateTrend(string componentName, string policyName, TrendConditionConfig trend, DateTimeOffset now)
    {
        var line = _trends.GetOrAdd((componentName, policyName), _ => new LinearTrend(trend.Over));
        var reach = line.TimeToReach(now, trend.Reaches, trend.Falling, trend.MinPoints);
        var evidence = $"signal {trend.Signal}: {line.Describe(now, trend.Reaches, trend.Falling, trend.MinPoints)} (horizon {Durations.Format(trend.Within)})";
        return (reach is { } t && t <= trend.Within, evidence);
    }

    /// <summary>One evaluation of a policy's condition through its hysteresis, acting on the transition (unless <paramref name="act"/> is false: only the state moves).</summary>
    private async Task ApplyAsync(
        string componentName, ComponentConfig component, string policyName, PolicyConfig policy, bool holds, DateTimeOffset at, TimeSpan holdFor, string evidence, string? version, CancellationToken cancellationToken, bool act = true)
    {
        var (next, transition) = StateOf(componentName, policyName).Observe(holds, at, holdFor, policy.When);
        _states[(componentName, policyName)] = next;
        if (!act)
        {
            return;
        }

        if (transition == PolicyTransition.Fired)
        {
            await FireAsync(componentName, policyName, policy, $"{evidence}; {next.HeldFor(at)}", version, cancellationToken);
        }
        else if (transition == PolicyTransition.Recovered)
        {
            await RecoverAsync(componentName, policyName, component, evidence, cancellationToken);
        }

        if (transition != PolicyTransition.None && policy.When.Composite is null)
        {
            await EvaluateCompositesAsync(componentName, component, version, cancellationToken);
        }
    }

    private EventWindow Window(string componentName, ComponentConfig component, string source)
    {
        var keep = component.Policies.Values.Select(p => p.When.Count)
            .Where(c => c is not null && (c.Events is { } e ? $"event:{e}" : $"probe:{c.ProbeFailures}") == source)
            .Select(c => c!.In)
            .DefaultIfEmpty(TimeSpan.FromMinutes(1))
            .Max();
        return _windows.GetOrAdd((componentName, source), _ => new EventWindow(keep));
    }

    private static List<string> Members(ComponentConfig component, FractionConditionConfig fraction) =>
        fraction.Probes.Count > 0 ? fraction.Probes : [.. component.Probes.Keys];

    /// <summary>Maintenance: what was counted or fitted inside the window does not count after it.</summary>
    private void ForgetConditions(string componentName)
    {
        foreach (var key in _windows.Keys.Where(k => string.Equals(k.Component, componentName, StringComparison.Ordinal)))
        {
            _windows.TryRemove(key, out _);
        }

        foreach (var key in _trends.Keys.Where(k => string.Equals(k.Component, componentName, StringComparison.Ordinal)))
        {
            _trends.TryRemove(key, out _);
        }
    }

    private async Task WithLockAsync(string componentName, Func<Task> action)
    {
        var gate = _locks.GetOrAdd(componentName, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            await action();
        }
        finally
        {
            gate.Release();
        }
    }
}
