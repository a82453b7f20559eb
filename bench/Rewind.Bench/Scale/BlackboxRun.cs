using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Rewind.Bench.Pipeline;
using Rewind.Runtime.Samples;

namespace Rewind.Bench.Scale;

/// <summary>
/// The baseline: Prometheus (Debian's <c>prometheus</c>) scraping Debian's <c>prometheus-blackbox-exporter</c> once a
/// second for each of the same N targets (scrape timeout 800 ms, module <c>http_2xx</c> checking status 200 and the
/// body's <c>"status":"ok"</c>), as Prometheus runs HTTP probes. CPU of both processes per probe.
/// </summary>
internal sealed class BlackboxRun(string root, NginxTarget target, ScaleSettings settings)
{
    public const string ExporterBinary = "/usr/bin/prometheus-blackbox-exporter";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task<BlackboxResult> RunAsync(int targets)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, F($"blackbox-{targets}"))).FullName;
        var exporterPort = SampleRelease.FreeLoopbackPort();
        var prometheusPort = SampleRelease.FreeLoopbackPort();
        await File.WriteAllTextAsync(Path.Combine(directory, "blackbox.yml"), ExporterConfig);
        await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), PrometheusConfig(targets, exporterPort));
        var result = new BlackboxResult(targets, settings.Window.TotalSeconds);
        var clock = Stopwatch.StartNew();
        await using var exporter = PeerProcess.Start("blackbox_exporter", ExporterBinary,
            ["--config.file", Path.Combine(directory, "blackbox.yml"), "--web.listen-address", F($"127.0.0.1:{exporterPort}"), "--timeout-offset", "0.1", "--log.level", "error"],
            Path.Combine(directory, "exporter.log"));
        await using var prometheus = PeerProcess.Start("prometheus", AlertingPipeline.PrometheusBinary,
            [$"--config.file={Path.Combine(directory, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", F($"--web.listen-address=127.0.0.1:{prometheusPort}"), "--log.level=warn"],
            Path.Combine(directory, "prometheus.log"));
        var api = F($"http://127.0.0.1:{prometheusPort}");
        if (!await WaitAsync(async () => await QueryAsync(api, "count(up{job=\"blackbox\"})") >= targets, ScaleSettings.FirstRoundLimit, prometheus))
        {
            return result with { Error = "Prometheus did not scrape every target once within " + ScaleSettings.FirstRoundLimit.TotalSeconds + " s" };
        }

        result = result with { FirstRoundSeconds = clock.Elapsed.TotalSeconds };
        await Task.Delay(settings.Settle);
        return await MeasureAsync(result, api, prometheus, exporter);
    }

    private async Task<BlackboxResult> MeasureAsync(BlackboxResult result, string api, PeerProcess prometheus, PeerProcess exporter)
    {
        var clock = Stopwatch.StartNew();
        var (prometheus0, exporter0, target0) = (ProcCpu.Ms(prometheus.Id), ProcCpu.Ms(exporter.Id), target.CpuMs());
        var from = DateTimeOffset.UtcNow;
        await Task.Delay(settings.Window);
        var (prometheus1, exporter1, target1) = (ProcCpu.Ms(prometheus.Id), ProcCpu.Ms(exporter.Id), target.CpuMs());
        var seconds = clock.Elapsed.TotalSeconds;
        var until = from.AddSeconds(seconds);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the scrapes begun before the window's end are appended
        var range = F($"{(long)(seconds * 1000)}ms");
        var probes = await QueryAsync(api, $"sum(count_over_time(up{{job=\"blackbox\"}}[{range}]))", until);
        var answered = await QueryAsync(api, $"sum(count_over_time(probe_success{{job=\"blackbox\"}}[{range}]))", until);
        var passed = await QueryAsync(api, $"sum(sum_over_time(probe_success{{job=\"blackbox\"}}[{range}]))", until);
        var perProbe = Math.Max(1, probes);
        return result with
        {
            WindowSeconds = seconds,
            ProbesPerSecond = probes / seconds,
            AnsweredFraction = probes > 0 ? answered / probes : 0,
            SuccessFraction = probes > 0 ? passed / probes : 0,
            CpuMsPerProbe = (prometheus1 - prometheus0 + exporter1 - exporter0) / perProbe,
            PrometheusCpuMsPerProbe = (prometheus1 - prometheus0) / perProbe,
            ExporterCpuMsPerProbe = (exporter1 - exporter0) / perProbe,
            Cores = (prometheus1 - prometheus0 + exporter1 - exporter0) / 1000 / seconds,
            TargetCores = (target1 - target0) / 1000 / seconds,
        };
    }

    private const string ExporterConfig = """
        modules:
          http_2xx:
            prober: http
            timeout: 800ms
            http:
              valid_status_codes: [200]
              fail_if_body_not_matches_regexp: ['"status":"ok"']
        """;

    /// <summary>The usual blackbox scrape job: each target a <c>/probe?target=…</c> scrape of the exporter.</summary>
    private string PrometheusConfig(int targets, int exporterPort)
    {
        var text = new StringBuilder(F($$"""
            global: { scrape_interval: {{ScaleSettings.Interval}}, scrape_timeout: {{ScaleSettings.Timeout}} }
            scrape_configs:
              - job_name: blackbox
                metrics_path: /probe
                params: { module: [http_2xx] }
                relabel_configs:
                  - { source_labels: [__address__], target_label: __param_target }
                  - { source_labels: [__param_target], target_label: instance }
                  - { target_label: __address__, replacement: "127.0.0.1:{{exporterPort}}" }
                static_configs:
                  - targets:

            """));
        for (var i = 1; i <= targets; i++)
        {
            text.Append("          - ").AppendLine(JsonSerializer.Serialize(target.Url(ScaleSettings.Component(i))));
        }

        return text.ToString();
    }

    /// <summary>The value of an instant query's single result; 0 when it has none or Prometheus does not answer.</summary>
    private static async Task<double> QueryAsync(string api, string query, DateTimeOffset? at = null)
    {
        var time = at is { } t ? "&time=" + (t.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture) : "";
        try
        {
            using var body = JsonDocument.Parse(await Http.GetStringAsync(new Uri($"{api}/api/v1/query?query={Uri.EscapeDataString(query)}{time}")));
            var results = body.RootElement.GetProperty("data").GetProperty("result");
            return results.GetArrayLength() == 0 ? 0 : double.Parse(results[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return 0;
        }
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan limit, PeerProcess process)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit || process.HasExited)
            {
                return false;
            }

            await Task.Delay(250);
        }

        return true;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
