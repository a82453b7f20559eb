using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rewind.Bench.Scale;

/// <summary>The two tables, <c>bench/results/scale.json</c> and the headline line.</summary>
internal sealed class ScaleReport(string repository, ScaleSettings settings, IReadOnlyList<ControllerResult> controllers, IReadOnlyList<BlackboxResult> baselines)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public required int Capacity { get; init; }

    public required ControllerResult PastCapacity { get; init; }

    public required double ProbeOnlyPerSecond { get; init; }

    public required double ProbeOnlyCpuMs { get; init; }

    public required string LoadBefore { get; init; }

    public required string LoadAfter { get; init; }

    public required double WallSeconds { get; init; }

    /// <summary>The size the headline's per-sample figures come from: the capacity, or the smallest size when none is within it.</summary>
    private int HeadlineSize => Capacity > 0 ? Capacity : settings.Sizes[0];

    /// <summary>The baseline's capacity: the largest N at which at least 99 % of its probes passed.</summary>
    private int BlackboxCapacity => baselines.Where(b => b.SuccessFraction >= 0.99).Select(b => b.Targets).DefaultIfEmpty(0).Max();

    /// <summary>
    /// The baseline the ratio compares with: at the headline size when it kept up there, else at the largest size
    /// below it where it did (a collapsed exporter's failing probes are cheap and say nothing of a probe's cost).
    /// </summary>
    private BlackboxResult Reference =>
        baselines.Where(b => b.SuccessFraction >= 0.99 && b.Targets <= HeadlineSize).MaxBy(b => b.Targets)
        ?? baselines.Where(b => b.SuccessFraction >= 0.99).MinBy(b => b.Targets)
        ?? baselines.Single(b => b.Targets == HeadlineSize);

    public void Write()
    {
        Console.WriteLine(F($"scale: N components, one HTTP probe each every {ScaleSettings.Interval} (timeout {ScaleSettings.Timeout}, status + JSON field) against one nginx on loopback, a notify policy (failing-for {ScaleSettings.FailingFor}), SQLite store; {settings.Window.TotalSeconds:0} s window; {Environment.ProcessorCount} cores shared by all; load average {LoadBefore} before, {LoadAfter} after"));
        Console.WriteLine(F($"  {"rewind serve",-12} {"samples/s",9} {"cores",6} {"CPU ms/sample",13} {"p99 late",9} {"failed",7} {"in window",9} {"incidents",9} {"not meas.",9} {"B/sample",8} {"nginx cores",11} {"registered s",12} {"listen s",8} {"1st round s",11} {"/metrics s",10} {"/metrics KB",11} {"RSS MB",7}"));
        foreach (var r in controllers.Append(PastCapacity).DistinctBy(r => r.Components))
        {
            WriteRow(r);
        }

        Console.WriteLine(F($"  {"blackbox",-12} {"probes/s",9} {"cores",6} {"CPU ms/probe",13} {"answered",9} {"passed",9} {"prom ms",7} {"exporter ms",11} {"nginx cores",11} {"1st round s",11}"));
        foreach (var b in baselines)
        {
            Console.WriteLine(F($"  {b.Targets,-12:N0} {b.ProbesPerSecond,9:0} {b.Cores,6:0.00} {b.CpuMsPerProbe,13:0.000} {b.AnsweredFraction,9:P1} {b.SuccessFraction,9:P1} {b.PrometheusCpuMsPerProbe,7:0.000} {b.ExporterCpuMsPerProbe,11:0.000} {b.TargetCores,11:0.00} {b.FirstRoundSeconds,11:0.0}{(b.Error is null ? "" : "  " + b.Error)}"));
        }

        Console.WriteLine(F($"  capacity (p99 lateness < {ScaleSettings.LatenessLimitSeconds * 1000:0} ms, no failed sample, no incident): {Capacity:N0} components; past capacity at {PastCapacity.Components:N0}: {PastCapacity.FailedSamples} failed samples, {PastCapacity.Incidents} incidents"));
        foreach (var r in controllers.Append(PastCapacity).DistinctBy(r => r.Components).Where(r => r.FailureReasons.Count > 0 || !r.TargetHealthy))
        {
            Console.WriteLine(F($"  failed samples at {r.Components:N0}: {string.Join("; ", r.FailureReasons)}; the target's own check every 250 ms: {r.TargetWatchFailed} failed, slowest {r.TargetWatchSlowestMs:0} ms"));
        }

        Console.WriteLine(F($"  the probe alone (HttpProbe in this process, 64 in flight, same target): {ProbeOnlyPerSecond:0} probes/s, {ProbeOnlyCpuMs:0.000} CPU ms/probe; wall {WallSeconds:0} s"));
        WriteJson();
        Console.WriteLine(Headline());
    }

    private static void WriteRow(ControllerResult r)
    {
        var notMeasured = r.NotMeasured is { } n ? n.ToString(CultureInfo.InvariantCulture) : "-";
        Console.WriteLine(F($"  {r.Components,-12:N0} {r.SamplesPerSecond,9:0} {r.ControllerCores,6:0.00} {r.CpuMsPerSample,13:0.000} {Ms(r.P99LatenessSeconds),9} {r.FailedSamples,7} {(r.FailedSamplesInWindow is { } w ? w.ToString(CultureInfo.InvariantCulture) : "-"),9} {r.Incidents,9} {notMeasured,9} {r.StoreBytesPerSample,8:0} {r.TargetCores,11:0.00} {r.RegisteredSeconds,12:0.0} {r.StartSeconds,8:0.0} {r.FirstRoundSeconds,11:0.0} {r.MetricsScrapeSeconds,10:0.000} {r.MetricsBytes / 1024.0,11:0} {r.PeakRssMb,7:0}{(r.Error is null ? "" : "  " + r.Error)}"));
    }

    public static string Ms(double? seconds) => seconds switch
    {
        null => "-",
        double.PositiveInfinity => ">10 s",
        { } s => F($"{s * 1000:0} ms"),
    };

    private string Headline()
    {
        var at = controllers.Single(r => r.Components == HeadlineSize);
        var baseline = Reference;
        var ratio = baseline.CpuMsPerProbe > 0 ? at.CpuMsPerSample / baseline.CpuMsPerProbe : double.NaN;
        var lateness = at.P99LatenessSeconds is { } p ? (double.IsPositiveInfinity(p) ? "inf" : F($"{p * 1000:0}")) : "none";
        return F($"ratio_cpu_vs_blackbox={ratio:0.000} max_components_at_1s={Capacity} cpu_ms_per_sample={at.CpuMsPerSample:0.000} false_failures_past_capacity={PastCapacity.FalseFailures} ")
            + F($"past_capacity_components={PastCapacity.Components} failed_samples_past_capacity={PastCapacity.FailedSamples} incidents_past_capacity={PastCapacity.Incidents} ")
            + F($"headline_components={HeadlineSize} samples_per_s={at.SamplesPerSecond:0} p99_lateness_ms={lateness} store_bytes_per_sample={at.StoreBytesPerSample:0} blackbox_cpu_ms_per_probe={baseline.CpuMsPerProbe:0.000} blackbox_reference_targets={baseline.Targets} blackbox_max_targets_at_1s={BlackboxCapacity} ")
            + F($"probe_only_per_s={ProbeOnlyPerSecond:0} probe_only_cpu_ms={ProbeOnlyCpuMs:0.000} window_s={settings.Window.TotalSeconds:0} sizes={string.Join(',', settings.Sizes)}");
    }

    private void WriteJson()
    {
        var json = JsonSerializer.Serialize(
            new
            {
                interval = ScaleSettings.Interval,
                timeout = ScaleSettings.Timeout,
                failingFor = ScaleSettings.FailingFor,
                windowSeconds = settings.Window.TotalSeconds,
                sizes = settings.Sizes,
                loadBefore = LoadBefore,
                loadAfter = LoadAfter,
                wallSeconds = WallSeconds,
                capacity = Capacity,
                blackboxCapacity = BlackboxCapacity,
                blackboxReference = Reference.Targets,
                headlineComponents = HeadlineSize,
                pastCapacity = PastCapacity,
                probeOnly = new { perSecond = ProbeOnlyPerSecond, cpuMsPerProbe = ProbeOnlyCpuMs },
                controllers,
                baselines,
            },
            Indented);
        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        File.WriteAllText(Path.Combine(repository, "bench", "results", "scale.json"), json);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
