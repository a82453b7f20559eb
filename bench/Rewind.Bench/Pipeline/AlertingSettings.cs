namespace Rewind.Bench.Pipeline;

/// <summary>
/// One way of running the usual alerting pipeline: Prometheus scraping the service and evaluating the 5xx-ratio
/// alert, Alertmanager routing it to a webhook. Durations are written as both tools parse them.
/// </summary>
internal sealed record AlertingSettings(
    string Name,
    string ScrapeInterval,
    string ScrapeTimeout,
    string EvaluationInterval,
    string RateWindow,
    string For,
    string GroupWait,
    string GroupInterval,
    string RepeatInterval)
{
    /// <summary>The alert a team copies from a runbook, with Prometheus' and Alertmanager's default timings.</summary>
    public static AlertingSettings Typical { get; } = new("typical", "15s", "10s", "15s", "1m", "1m", "30s", "5m", "4h");

    /// <summary>Aggressively tuned, as far as a team would go: 1 s scrapes and evaluations, a short hold, a 1 s group wait.</summary>
    public static AlertingSettings Tuned { get; } = new("tuned", "1s", "1s", "1s", "30s", "10s", "1s", "5m", "4h");

    /// <summary>The floor of this pipeline: tuned, with no hold (<c>for: 0s</c>) and no group wait. Nobody pages on one evaluation; this is the bound.</summary>
    public static AlertingSettings Fastest { get; } = new("fastest", "1s", "1s", "1s", "30s", "0s", "0s", "5m", "4h");

    public string Expression =>
        $"sum(rate(http_requests_total{{code=~\"5..\"}}[{RateWindow}])) / sum(rate(http_requests_total[{RateWindow}])) > 0.05";

    public string Describe() =>
        $"scrape {ScrapeInterval}, evaluation {EvaluationInterval}, rate window {RateWindow}, for {For}, group_wait {GroupWait}, group_interval {GroupInterval}";
}
