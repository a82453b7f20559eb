using System.Diagnostics;
using System.Globalization;
using Rewind.Bench.Pipeline;
using Rewind.Core.Configuration;
using Rewind.Runtime.Samples;

namespace Rewind.Bench.Scale;

/// <summary>
/// One real <c>rewind serve</c> (the Release-built CLI, through the repository's launcher) watching N components on the
/// target: started, warmed up until every component has a stored sample, then measured over a fixed window.
/// </summary>
internal sealed class ControllerRun(string repository, string root, NginxTarget target, ScaleSettings settings)
{
    /// <summary>A controller whose <c>/metrics</c> takes longer is far past its capacity; its lateness is then reported unknown.</summary>
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task<ControllerResult> RunAsync(int components)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, F($"rewind-{components}"))).FullName;
        var store = new ScaleStore(Path.Combine(directory, "rewind.db"));
        var port = SampleRelease.FreeLoopbackPort();
        var (configPath, parse, bytes) = await WriteConfigAsync(directory, components, port);
        var result = new ControllerResult(components, settings.Window.TotalSeconds) { ConfigParseSeconds = parse, ConfigBytes = bytes };
        await using var watch = new TargetWatch(target.Url("watch"));
        var clock = Stopwatch.StartNew();
        var controller = PeerProcess.Start(F($"rewind serve ({components})"), Path.Combine(repository, "rewind"), ["serve", "--config", configPath], Path.Combine(directory, "serve.log"));
        try
        {
            var metrics = new Uri(F($"http://127.0.0.1:{port}/metrics"));
            var registered = await WaitAsync(controller, async () => await store.ComponentsAsync() >= components, ScaleSettings.StartLimit);
            result = result with { RegisteredSeconds = registered ? clock.Elapsed.TotalSeconds : null };
            if (!await WaitAsync(controller, () => ListensAsync(port), ScaleSettings.StartLimit - clock.Elapsed))
            {
                return result with { Error = Failure(controller, directory, "did not listen") };
            }

            result = result with { StartSeconds = clock.Elapsed.TotalSeconds };
            var firstRound = await WaitAsync(controller, async () => await store.SamplesStoredAsync() >= components, ScaleSettings.FirstRoundLimit);
            result = result with { FirstRoundSeconds = firstRound ? clock.Elapsed.TotalSeconds : null };
            await Task.Delay(settings.Settle);
            result = await MeasureAsync(result, controller, store, metrics, clock);
        }
        finally
        {
            result = result with { PeakRssMb = ProcCpu.PeakRssMb(controller.Id), TargetWatchFailed = watch.Failed, TargetWatchSlowestMs = watch.SlowestMs };
            await controller.DisposeAsync();
            var log = Path.Combine(directory, "serve.log");
            if (File.Exists(log))
            {
                File.Copy(log, Path.Combine(Path.GetTempPath(), F($"rewind-scale-serve-{components}.log")), overwrite: true); // for a look after the run
            }
        }

        return result;
    }

    private async Task<ControllerResult> MeasureAsync(ControllerResult result, PeerProcess controller, ScaleStore store, Uri metrics, Stopwatch clock)
    {
        var before = MetricsText.Parse((await ScrapeAsync(metrics))?.Text ?? "");
        var start = await WindowPoint.TakeAsync(clock, controller.Id, target, store);
        await Task.Delay(settings.Window);
        var end = await WindowPoint.TakeAsync(clock, controller.Id, target, store);
        var scrape = await ScrapeAsync(metrics);
        var after = MetricsText.Parse(scrape?.Text ?? "");
        var seconds = end.At - start.At;
        var samples = Math.Max(1, end.Samples - start.Samples);
        return result with
        {
            WindowSeconds = seconds,
            SamplesPerSecond = (end.Samples - start.Samples) / seconds,
            CpuMsPerSample = (end.ControllerCpuMs - start.ControllerCpuMs) / samples,
            ControllerCores = (end.ControllerCpuMs - start.ControllerCpuMs) / 1000 / seconds,
            TargetCores = (end.TargetCpuMs - start.TargetCpuMs) / 1000 / seconds,
            P99LatenessSeconds = MetricsText.Quantile(0.99, before.Buckets("rewind_probe_schedule_lag_seconds", "loop=\"probe\""), after.Buckets("rewind_probe_schedule_lag_seconds", "loop=\"probe\"")),
            FailedSamples = scrape is null ? await store.FailedSamplesAsync() : (long)after.Sum("rewind_probe_samples_total", "result=\"fail\""),
            FailedSamplesInWindow = scrape is null || before.IsEmpty ? null : (long)(after.Sum("rewind_probe_samples_total", "result=\"fail\"") - before.Sum("rewind_probe_samples_total", "result=\"fail\"")),
            FailureReasons = await store.FailureReasonsAsync(),
            Decisions = (long)after.Sum("rewind_decisions_total"),
            NotMeasured = after.Has("rewind_probes_not_measured_total") ? (long)after.Sum("rewind_probes_not_measured_total") : null,
            Overloaded = after.Sum("rewind_monitor_overloaded") > 0,
            Incidents = await store.IncidentsAsync(),
            StoreBytesPerSample = (double)(end.BytesInUse - start.BytesInUse) / samples,
            FileBytesPerSample = (double)(end.FileBytes - start.FileBytes) / samples,
            MetricsScrapeSeconds = scrape?.Seconds ?? double.NaN,
            MetricsBytes = scrape?.Text.Length ?? 0,
        };
    }

    private async Task<(string Path, double ParseSeconds, long Bytes)> WriteConfigAsync(string directory, int components, int port)
    {
        var path = Path.Combine(directory, "rewind.yaml");
        var text = ScaleConfig.Render(components, Path.Combine(directory, "rewind.db"), port, target);
        await File.WriteAllTextAsync(path, text);
        var clock = Stopwatch.StartNew();
        var parsed = ConfigParser.Parse(text, path, directory);
        var seconds = clock.Elapsed.TotalSeconds;
        return parsed.IsValid ? (path, seconds, text.Length) : throw new InvalidOperationException($"{path}: " + string.Join("; ", parsed.Errors.Take(5)));
    }

    private static async Task<(string Text, double Seconds)?> ScrapeAsync(Uri url)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await Http.GetAsync(url);
            return response.IsSuccessStatusCode ? (await response.Content.ReadAsStringAsync(), clock.Elapsed.TotalSeconds) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>Polls until the condition holds; false when the limit passed or the controller exited.</summary>
    private static async Task<bool> WaitAsync(PeerProcess controller, Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit || controller.HasExited)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    private static string Failure(PeerProcess controller, string directory, string what)
    {
        var log = File.Exists(Path.Combine(directory, "serve.log")) ? File.ReadLines(Path.Combine(directory, "serve.log")).TakeLast(5) : [];
        return (controller.HasExited ? "exited: " : "") + what + ": " + string.Join(" | ", log);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
