using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Rewind.Runtime.Samples;

namespace Rewind.Bench.Pipeline;

/// <summary>
/// A real Prometheus (<c>/usr/bin/prometheus</c>) and Alertmanager (<c>/usr/bin/prometheus-alertmanager</c>) from
/// Debian's packages, on loopback with their own storage in a temporary directory, configured as
/// <see cref="AlertingSettings"/> says and watching the sample service. Disposing kills both.
/// </summary>
internal sealed class AlertingPipeline : IAsyncDisposable
{
    public const string PrometheusBinary = "/usr/bin/prometheus";
    public const string AlertmanagerBinary = "/usr/bin/prometheus-alertmanager";
    public const string AlertName = "HighErrorRate";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly List<PeerProcess> _peers = [];

    private AlertingPipeline(AlertingSettings settings, int prometheusPort)
    {
        Settings = settings;
        PrometheusPort = prometheusPort;
    }

    public AlertingSettings Settings { get; }

    public int PrometheusPort { get; }

    /// <summary>The webhook path this pipeline's Alertmanager posts to.</summary>
    public string WebhookPath => "/" + Settings.Name;

    public static async Task<AlertingPipeline> StartAsync(string root, AlertingSettings settings, int samplePort, int webhookPort)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, settings.Name)).FullName;
        var alertmanagerPort = SampleRelease.FreeLoopbackPort();
        var pipeline = new AlertingPipeline(settings, SampleRelease.FreeLoopbackPort());
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "alertmanager.yml"), AlertmanagerConfig(settings, webhookPort));
            await File.WriteAllTextAsync(Path.Combine(directory, "rules.yml"), Rules(settings));
            await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), PrometheusConfig(settings, directory, samplePort, alertmanagerPort));
            pipeline._peers.Add(PeerProcess.Start($"alertmanager ({settings.Name})", AlertmanagerBinary,
                [
                    $"--config.file={Path.Combine(directory, "alertmanager.yml")}",
                    $"--storage.path={Path.Combine(directory, "alertmanager-data")}",
                    F($"--web.listen-address=127.0.0.1:{alertmanagerPort}"),
                    "--cluster.listen-address=",
                    "--log.level=warn",
                ],
                Path.Combine(directory, "alertmanager.log")));
            pipeline._peers.Add(PeerProcess.Start($"prometheus ({settings.Name})", PrometheusBinary,
                [
                    $"--config.file={Path.Combine(directory, "prometheus.yml")}",
                    $"--storage.tsdb.path={Path.Combine(directory, "prometheus-data")}",
                    F($"--web.listen-address=127.0.0.1:{pipeline.PrometheusPort}"),
                    "--log.level=warn",
                ],
                Path.Combine(directory, "prometheus.log")));
            await pipeline.WaitReadyAsync(F($"http://127.0.0.1:{alertmanagerPort}/-/ready"), Path.Combine(directory, "alertmanager.log"));
            await pipeline.WaitReadyAsync(F($"http://127.0.0.1:{pipeline.PrometheusPort}/-/ready"), Path.Combine(directory, "prometheus.log"));
            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

    /// <summary>When the alert's condition first held (its <c>activeAt</c>, the start of <c>pending</c>), while it is active.</summary>
    public async Task<DateTimeOffset?> ActiveSinceAsync()
    {
        try
        {
            using var body = JsonDocument.Parse(await Http.GetStringAsync(new Uri(F($"http://127.0.0.1:{PrometheusPort}/api/v1/alerts"))));
            foreach (var alert in body.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray())
            {
                if (alert.GetProperty("labels").GetProperty("alertname").GetString() == AlertName
                    && alert.TryGetProperty("activeAt", out var activeAt) && activeAt.TryGetDateTimeOffset(out var at))
                {
                    return at;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            // reported as unknown
        }

        return null;
    }

    /// <summary>Whether Prometheus scrapes the sample service successfully, so the warm-up is not spent without data.</summary>
    public async Task<bool> TargetUpAsync()
    {
        try
        {
            var query = Uri.EscapeDataString("up{job=\"sample\"}");
            using var body = JsonDocument.Parse(await Http.GetStringAsync(new Uri(F($"http://127.0.0.1:{PrometheusPort}/api/v1/query?query={query}"))));
            return body.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
                .Any(r => r.GetProperty("value")[1].GetString() == "1");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in Enumerable.Reverse(_peers))
        {
            await peer.DisposeAsync();
        }

        _peers.Clear();
    }

    private async Task WaitReadyAsync(string url, string log)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_peers.FirstOrDefault(p => p.HasExited) is { } dead)
            {
                throw new InvalidOperationException($"{dead.Name} exited at start; see {log}:\n{await File.ReadAllTextAsync(log)}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(url));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not up yet
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{url} did not become ready; see {log}");
    }

    private static string PrometheusConfig(AlertingSettings settings, string directory, int samplePort, int alertmanagerPort) => F($$"""
        global:
          scrape_interval: {{settings.ScrapeInterval}}
          scrape_timeout: {{settings.ScrapeTimeout}}
          evaluation_interval: {{settings.EvaluationInterval}}
        alerting:
          alertmanagers:
            - static_configs:
                - targets: ["127.0.0.1:{{alertmanagerPort}}"]
        rule_files:
          - {{JsonSerializer.Serialize(Path.Combine(directory, "rules.yml"))}}
        scrape_configs:
          - job_name: sample
            static_configs:
              - targets: ["127.0.0.1:{{samplePort}}"]
        """);

    private static string Rules(AlertingSettings settings) => $$"""
        groups:
          - name: sample-service
            rules:
              - alert: {{AlertName}}
                expr: '{{settings.Expression}}'
                for: {{settings.For}}
                labels:
                  severity: page
                annotations:
                  summary: "More than 5 % of requests to the sample service fail with 5xx"
        """;

    private static string AlertmanagerConfig(AlertingSettings settings, int webhookPort) => F($$"""
        route:
          receiver: team-webhook
          group_by: [alertname]
          group_wait: {{settings.GroupWait}}
          group_interval: {{settings.GroupInterval}}
          repeat_interval: {{settings.RepeatInterval}}
        receivers:
          - name: team-webhook
            webhook_configs:
              - url: "http://127.0.0.1:{{webhookPort}}/{{settings.Name}}"
                send_resolved: true
        """);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
