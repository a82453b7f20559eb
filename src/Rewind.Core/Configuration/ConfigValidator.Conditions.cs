using Rewind.Core.Backups;
using Rewind.Core.Signals.Metrics;

namespace Rewind.Core.Configuration;

/// <summary>Checks of the condition kinds beyond probes and regressions, of PromQL queries and of pushed events.</summary>
internal static partial class ConfigValidator
{
    /// <summary>Every numeric signal a component has: its queries, each scrape's derived signals and gauges, and its backups' signals.</summary>
    public static HashSet<string> SignalsOf(ComponentConfig component) =>
        component.Queries.Keys
            .Concat(component.Scrapes.SelectMany(s => ScrapeSignals.Derived.Concat(s.Value.Gauges.Keys).Select(d => $"{s.Key}.{d}")))
            .Concat(component.Backups is null ? [] : BackupSignals.Names)
            .ToHashSet(StringComparer.Ordinal);

    private static void ValidateCondition(string when, string policyName, ConditionConfig condition, ComponentConfig component, string name, Action<object, string?, string> add)
    {
        var kinds = new object?[] { condition.Regression, condition.Signal, condition.Count, condition.Fraction, condition.Trend, condition.Composite }.Count(k => k is not null)
            + (condition.Probe.Length > 0 && condition.Regression is null ? 1 : 0);
        if (kinds > 1)
        {
            add(condition, null, $"{when}: one kind of condition per policy: probe, regression, signal, count, fraction, trend or composite");
        }

        var signals = SignalsOf(component);
        string Known() => signals.Count == 0 ? "the component has no queries, scrapes or backups" : $"known: {string.Join(", ", signals.Order(StringComparer.Ordinal))}";

        if (condition.Signal is { } signal)
        {
            if (!signals.Contains(signal.Name))
            {
                add(signal, "name", $"{when}.signal.name: '{signal.Name}' is not a signal of {name}; {Known()}");
            }

            if (signal.Above is null && signal.Below is null)
            {
                add(signal, null, $"{when}.signal: give a limit, above or below");
            }

            if (signal.For < TimeSpan.Zero)
            {
                add(signal, "for", $"{when}.signal.for: zero or more");
            }
        }

        ValidateCount(when, condition, component, name, add);
        ValidateFractionAndTrend(when, condition, component, name, signals, Known, add);
        if (condition.Composite is { } composite)
        {
            ValidateComposite(when, policyName, composite, component, name, add);
        }
    }

    private static void ValidateCount(string when, ConditionConfig condition, ComponentConfig component, string name, Action<object, string?, string> add)
    {
        if (condition.Count is { } count)
        {
            if ((count.Events is null) == (count.ProbeFailures is null))
            {
                add(count, null, $"{when}.count: count either events or probe-failures");
            }
            else if (count.Events is { } events && !component.Events.ContainsKey(events))
            {
                add(count, "events", $"{when}.count.events: '{events}' is not declared in {name}'s events");
            }
            else if (count.ProbeFailures is { } probe && !component.Probes.ContainsKey(probe))
            {
                add(count, "probe-failures", $"{when}.count.probe-failures: '{probe}' is not a probe of {name}");
            }

            if (count.Above < 0)
            {
                add(count, "above", $"{when}.count.above: zero or more");
            }

            if (count.In <= TimeSpan.Zero || count.In > TimeSpan.FromDays(1))
            {
                add(count, "in", $"{when}.count.in: a window from 1ms to 24h");
            }
        }

    }

    private static void ValidateFractionAndTrend(
        string when, ConditionConfig condition, ComponentConfig component, string name, HashSet<string> signals, Func<string> known, Action<object, string?, string> add)
    {
        if (condition.Fraction is { } fraction)
        {
            foreach (var member in fraction.Probes.Where(p => !component.Probes.ContainsKey(p)))
            {
                add(fraction, "probes", $"{when}.fraction.probes: '{member}' is not a probe of {name}");
            }

            if (fraction.Above is < 0 or >= 1)
            {
                add(fraction, "above", $"{when}.fraction.above: a fraction from 0 to below 1, e.g. 0.5 or 50%");
            }

            if (fraction.For < TimeSpan.Zero)
            {
                add(fraction, "for", $"{when}.fraction.for: zero or more");
            }
        }

        if (condition.Trend is { } trend)
        {
            if (!signals.Contains(trend.Signal))
            {
                add(trend, "signal", $"{when}.trend.signal: '{trend.Signal}' is not a signal of {name}; {known()}");
            }

            if (trend.Within <= TimeSpan.Zero || trend.Over <= TimeSpan.Zero)
            {
                add(trend, "within", $"{when}.trend: within and over must be positive");
            }

            if (trend.MinPoints < 2)
            {
                add(trend, "min-points", $"{when}.trend.min-points: at least 2; a line needs two points");
            }
        }

    }

    private static void ValidateComposite(string when, string policyName, List<CompositeClauseConfig> composite, ComponentConfig component, string name, Action<object, string?, string> add)
    {
        if (composite.Count == 0)
        {
            add(composite, null, $"{when}.composite: at least one clause");
        }

        foreach (var clause in composite)
        {
            if ((clause.Policies.Count > 0) == clause.Severity.HasValue)
            {
                add(clause, null, $"{when}.composite: a clause counts either named policies or a severity");
            }

            foreach (var member in clause.Policies)
            {
                if (string.Equals(member, policyName, StringComparison.Ordinal))
                {
                    add(clause, "policies", $"{when}.composite.policies: a composite cannot count itself");
                }
                else if (!component.Policies.TryGetValue(member, out var other))
                {
                    add(clause, "policies", $"{when}.composite.policies: '{member}' is not a policy of {name}");
                }
                else if (other.When.Composite is not null)
                {
                    add(clause, "policies", $"{when}.composite.policies: '{member}' is a composite itself; composites count plain policies");
                }
            }

            if (clause.AtLeast < 1)
            {
                add(clause, "at-least", $"{when}.composite.at-least: at least 1");
            }
        }
    }

    private static void ValidateQueriesAndEvents(string at, ComponentConfig component, Action<object, string?, string> add)
    {
        foreach (var (queryName, query) in component.Queries)
        {
            var where = $"{at}.queries.{queryName}";
            if (!Uri.TryCreate(query.Prometheus, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                add(query, "prometheus", $"{where}.prometheus: expected the server's http:// or https:// URL");
            }

            if (string.IsNullOrWhiteSpace(query.Promql))
            {
                add(query, "promql", $"{where}.promql: required");
            }

            if (query.Interval <= TimeSpan.Zero)
            {
                add(query, "interval", $"{where}.interval: must be positive");
            }

            if (query.Timeout <= TimeSpan.Zero || query.Timeout > query.Interval)
            {
                add(query, "timeout", $"{where}.timeout: must be positive and no longer than the interval");
            }

            if (component.Scrapes.ContainsKey(queryName.Split('.')[0]) && queryName.Contains('.', StringComparison.Ordinal))
            {
                add(component.Queries, queryName, $"{where}: the name collides with a scrape's signals; choose a name without the scrape's prefix");
            }
        }

        foreach (var (scrapeName, scrape) in component.Scrapes)
        {
            foreach (var (gauge, metric) in scrape.Gauges)
            {
                if (ScrapeSignals.Derived.Contains(gauge, StringComparer.Ordinal) || string.IsNullOrWhiteSpace(metric))
                {
                    add(scrape.Gauges, gauge, $"{at}.scrapes.{scrapeName}.gauges.{gauge}: a metric name, under a name other than {string.Join(", ", ScrapeSignals.Derived)}");
                }
            }
        }
    }
}
