namespace Rewind.Core.Configuration;

/// <summary>Checks of postgres probes, scrapes and regression conditions.</summary>
internal static partial class ConfigValidator
{
    private static void ValidatePostgres(string at, PostgresProbeConfig postgres, Action<object, string?, string> add)
    {
        if (!PostgresUrl.TryParse(postgres.Url, out _))
        {
            add(postgres, "url", $"{at}.postgres.url: expected postgres://user:password@host:port/database");
        }

        if (string.IsNullOrWhiteSpace(postgres.Query))
        {
            add(postgres, "query", $"{at}.postgres.query: must not be empty; leave it out for select 1");
        }
    }

    private static void ValidateScrapes(string at, ComponentConfig component, Action<object, string?, string> add)
    {
        foreach (var (scrapeName, scrape) in component.Scrapes)
        {
            var where = $"{at}.scrapes.{scrapeName}";
            if (!Uri.TryCreate(scrape.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                add(scrape, "url", $"{where}.url: expected an http:// or https:// URL");
            }

            if (scrape.Interval <= TimeSpan.Zero)
            {
                add(scrape, "interval", $"{where}.interval: must be positive");
            }

            if (scrape.Timeout <= TimeSpan.Zero || scrape.Timeout > scrape.Interval)
            {
                add(scrape, "timeout", $"{where}.timeout: must be positive and no longer than the interval");
            }

            if (string.IsNullOrWhiteSpace(scrape.RequestsMetric))
            {
                add(scrape, "requests-metric", $"{where}.requests-metric: required");
            }
        }

        if (component.AutoRollbackLimit.Count < 1)
        {
            add(component.AutoRollbackLimit, "count", $"{at}.auto-rollback-limit.count: at least 1");
        }

        if (component.AutoRollbackLimit.Window <= TimeSpan.Zero)
        {
            add(component.AutoRollbackLimit, "window", $"{at}.auto-rollback-limit.window: must be positive");
        }

        if (component.BakeMinRequests < 0)
        {
            add(component, "bake-min-requests", $"{at}.bake-min-requests: zero or more");
        }
    }

    private static void ValidateRegression(string at, ConditionConfig condition, RegressionConfig regression, ComponentConfig component, string name, Action<object, string?, string> add)
    {
        if (condition.Probe.Length > 0)
        {
            add(condition, "probe", $"{at}: name a probe or a regression, not both");
        }

        if (!component.Scrapes.ContainsKey(regression.Scrape))
        {
            add(regression, "scrape", $"{at}.regression.scrape: '{regression.Scrape}' is not a scrape of {name}");
        }

        if (regression.BaselineRate is <= 0 or >= 0.5)
        {
            add(regression, "baseline-rate", $"{at}.regression.baseline-rate: a fraction between 0 and 0.5, e.g. 0.005 for 0.5 %");
        }

        if (regression.Factor <= 1)
        {
            add(regression, "factor", $"{at}.regression.factor: greater than 1 (p1 = p0 × factor)");
        }

        if (regression.FalseAlarm is <= 0 or >= 0.5)
        {
            add(regression, "false-alarm", $"{at}.regression.false-alarm: a probability between 0 and 0.5, e.g. 0.001");
        }

        if (regression.Miss is <= 0 or >= 0.5)
        {
            add(regression, "miss", $"{at}.regression.miss: a probability between 0 and 0.5, e.g. 0.01");
        }

        if (regression.MinBaselineRequests < 0)
        {
            add(regression, "min-baseline-requests", $"{at}.regression.min-baseline-requests: zero or more");
        }

        if (regression.LatencyQuantile is { } quantile && quantile is < 0.5 or > 0.999)
        {
            add(regression, "latency-quantile", $"{at}.regression.latency-quantile: a quantile between 0.5 and 0.999, e.g. 0.95 for p95");
        }
        else if (regression.LatencyQuantile is not null && component.Scrapes.TryGetValue(regression.Scrape, out var scrape) && string.IsNullOrWhiteSpace(scrape.DurationHistogram))
        {
            add(regression, "latency-quantile", $"{at}.regression.latency-quantile: scrape '{regression.Scrape}' names no duration-histogram to read the quantile from");
        }

        if (regression.LatencyFactor <= 1)
        {
            add(regression, "latency-factor", $"{at}.regression.latency-factor: greater than 1 (the share above the bound grown from 1 − q by this factor)");
        }
    }
}
