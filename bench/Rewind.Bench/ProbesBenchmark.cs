using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rewind.Core.Configuration;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Samples;
using Rewind.Runtime.Signals;

namespace Rewind.Bench;

/// <summary>
/// Probe capacity: HTTP probes per second (status and JSON-field check) against the sample service's /health on
/// loopback, side by side with the Prometheus blackbox_exporter doing the same probe (driven by wrk), and with wrk
/// alone (the limit of the target and loopback on this machine). All three hit the same target process.
/// </summary>
internal sealed partial class ProbesBenchmark(bool quick, string repository)
{
    private const int Concurrency = 64;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<int> RunAsync()
    {
        var seconds = quick ? 3 : 10;
        var root = Directory.CreateTempSubdirectory("rewind-bench-probes-").FullName;
        var port = SampleRelease.FreeLoopbackPort();
        var serviceCtl = Path.Combine(repository, "samples", "servicectl");
        SampleRelease.Install(Path.Combine(repository, ".artifacts", "bin", "SampleService", "release"), root, "v1", broken: false);
        File.CreateSymbolicLink(Path.Combine(root, "current"), "releases/v1");
        var runner = new ProcessRunner();
        var portText = port.ToString(CultureInfo.InvariantCulture);
        await runner.RunAsync(new ProcessRequest([serviceCtl, "start", root, portText], root, TimeSpan.FromSeconds(30)));
        var target = $"http://127.0.0.1:{portText}/health";
        try
        {
            await WaitAsync(target);
            var wrk = await WrkAsync(target, seconds);
            var (rewind, cpuPerProbe, failures) = await RewindAsync(target, seconds);
            var (blackbox, blackboxCpu) = await BlackboxAsync(root, target, seconds);
            Report(seconds, wrk, rewind, cpuPerProbe, failures, blackbox, blackboxCpu);
        }
        finally
        {
            await runner.RunAsync(new ProcessRequest([serviceCtl, "stop", root, portText], root, TimeSpan.FromSeconds(30)));
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    /// <summary>The probe alone, 64 in flight in this process for <paramref name="seconds"/>: probes per second, this process's CPU ms per probe, failures.</summary>
    internal static async Task<(double PerSecond, double CpuMsPerProbe, long Failures)> RewindAsync(string target, int seconds)
    {
        var probe = new HttpProbe();
        var config = new ProbeConfig { Http = new HttpProbeConfig { Url = target, JsonField = new JsonFieldConfig { Path = "status", Expected = "ok" } }, Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(2) };
        await probe.RunAsync("bench", "warmup", config);
        long passes = 0, failures = 0;
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < until)
            {
                var sample = await probe.RunAsync("bench", "health", config);
                Interlocked.Increment(ref sample.Success ? ref passes : ref failures);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        return (passes / elapsed, cpu / Math.Max(1, passes), failures);
    }

    private static async Task<double> WrkAsync(string url, int seconds)
    {
        var result = await new ProcessRunner().RunAsync(new ProcessRequest(["wrk", "-t2", $"-c{Concurrency}", $"-d{seconds}s", url], null, TimeSpan.FromSeconds(seconds + 30)));
        var match = RequestsPerSecond().Match(result.Output);
        return match.Success ? double.Parse(match.Groups["rps"].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException("wrk: " + result.Output);
    }

    private static async Task<(double PerSecond, double CpuMsPerProbe)> BlackboxAsync(string root, string target, int seconds)
    {
        var port = SampleRelease.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        var config = Path.Combine(root, "blackbox.yml");
        await File.WriteAllTextAsync(config, """
            modules:
              http_2xx:
                prober: http
                timeout: 2s
                http:
                  valid_status_codes: [200]
                  fail_if_body_not_matches_regexp: ['"status":"ok"']
            """);
        var info = new ProcessStartInfo("prometheus-blackbox-exporter") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--config.file", config, "--web.listen-address", $"127.0.0.1:{port}", "--log.level", "error" })
        {
            info.ArgumentList.Add(arg);
        }

        using var exporter = Process.Start(info)!;
        exporter.OutputDataReceived += (_, _) => { };
        exporter.ErrorDataReceived += (_, _) => { };
        exporter.BeginOutputReadLine();
        exporter.BeginErrorReadLine();
        try
        {
            var probeUrl = $"http://127.0.0.1:{port}/probe?module=http_2xx&target={Uri.EscapeDataString(target)}";
            await WaitAsync(probeUrl);
            var before = CpuMs(exporter.Id);
            var perSecond = await WrkAsync(probeUrl, seconds);
            return (perSecond, (CpuMs(exporter.Id) - before) / (perSecond * seconds));
        }
        finally
        {
            exporter.Kill(entireProcessTree: true);
            await exporter.WaitForExitAsync();
        }
    }

    /// <summary>User plus system CPU of a process in milliseconds, from /proc (clock ticks of 10 ms).</summary>
    private static double CpuMs(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static async Task WaitAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if ((await http.GetAsync(new Uri(url))).IsSuccessStatusCode)
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

        throw new TimeoutException($"{url} did not answer");
    }

    private void Report(int seconds, double wrk, double rewind, double cpuPerProbe, long failures, double blackbox, double blackboxCpu)
    {
        Console.WriteLine(F($"probes benchmark: GET /health + JSON field check against the sample service on loopback, {Concurrency} concurrent, {seconds}s each, {Environment.ProcessorCount} cores shared with the target"));
        Console.WriteLine(F($"  {"measure",-44} {"per second",12} {"CPU ms/probe",13}"));
        Console.WriteLine(F($"  {"rewind HttpProbe",-44} {rewind,12:0} {cpuPerProbe,13:0.000}"));
        Console.WriteLine(F($"  {"blackbox_exporter http_2xx (driven by wrk)",-44} {blackbox,12:0} {blackboxCpu,13:0.000}"));
        Console.WriteLine(F($"  {"wrk alone (the target's limit)",-44} {wrk,12:0} {"-",13}"));
        Console.WriteLine(F($"  failed probes: {failures}"));
        var json = JsonSerializer.Serialize(new { seconds, concurrency = Concurrency, rewind, cpuPerProbe, failures, blackbox, blackboxCpu, wrk }, Indented);
        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        File.WriteAllText(Path.Combine(repository, "bench", "results", "probes.json"), json);
        Console.WriteLine(F($"ratio_vs_blackbox={rewind / blackbox:0.00} ratio_vs_wrk={rewind / wrk:0.00} probes_per_s={rewind:0} cpu_ms_per_probe={cpuPerProbe:0.000} blackbox_probes_per_s={blackbox:0} blackbox_cpu_ms_per_probe={blackboxCpu:0.000} wrk_rps={wrk:0} failed_probes={failures}"));
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Requests/sec:\s+(?<rps>[0-9.]+)", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RequestsPerSecond();
}
