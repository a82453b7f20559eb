using System.Diagnostics;
using System.Globalization;
using Rewind.Core.Configuration;

namespace Rewind.Bench.Scale;

/// <summary>
/// Watching at scale, end to end: N components (one HTTP probe each every second, a <c>notify</c> probe policy, SQLite
/// store) watched by one real <c>rewind serve</c>, against the same N targets probed at the same rate by Prometheus and
/// the blackbox exporter; the capacity (largest N with p99 probe lateness under 100 ms and no false failure), then a run
/// at twice it counting false failures.
/// </summary>
internal sealed class ScaleBenchmark(bool quick, string repository, IReadOnlyList<string> arguments)
{
    public async Task<int> RunAsync()
    {
        var settings = ScaleSettings.For(quick, arguments);
        var root = Directory.CreateTempSubdirectory("rewind-bench-scale-").FullName;
        var wall = Stopwatch.StartNew();
        var loadBefore = LoadAverage();
        try
        {
            await using var target = await NginxTarget.StartAsync(root);
            var controllerRun = new ControllerRun(repository, root, target, settings);
            var blackboxRun = new BlackboxRun(root, target, settings);
            var controllers = new List<ControllerResult>();
            var baselines = new List<BlackboxResult>();
            foreach (var components in settings.Sizes)
            {
                controllers.Add(Progress(await controllerRun.RunAsync(components)));
                baselines.Add(Progress(await blackboxRun.RunAsync(components)));
            }

            var capacity = controllers.Where(r => r.WithinCapacity).Select(r => r.Components).DefaultIfEmpty(0).Max();
            var pastComponents = capacity == 0 ? settings.Sizes[0] : Math.Min(2 * capacity, ScaleSettings.PastCapacityCap);
            if (pastComponents > ScaleConfig.MostComponents(target))
            {
                Console.Error.WriteLine(F($"scale: past capacity held to {ScaleConfig.MostComponents(target)} components instead of {pastComponents}: a larger config is over the {ConfigLimits.MaxBytes / (1024 * 1024)} MiB limit of a config file"));
                pastComponents = ScaleConfig.MostComponents(target);
            }

            var past = controllers.Find(r => r.Components == pastComponents) ?? Progress(await controllerRun.RunAsync(pastComponents));
            var (probeOnly, probeOnlyCpu, _) = await ProbesBenchmark.RewindAsync(target.Url("probe-only"), (int)settings.ProbeOnly.TotalSeconds);
            new ScaleReport(repository, settings, controllers, baselines)
            {
                Capacity = capacity,
                PastCapacity = past,
                ProbeOnlyPerSecond = probeOnly,
                ProbeOnlyCpuMs = probeOnlyCpu,
                LoadBefore = loadBefore,
                LoadAfter = LoadAverage(),
                WallSeconds = wall.Elapsed.TotalSeconds,
            }.Write();
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static ControllerResult Progress(ControllerResult r)
    {
        Console.Error.WriteLine(F($"scale: rewind {r.Components} components: {r.SamplesPerSecond:0} samples/s, {r.CpuMsPerSample:0.000} CPU ms/sample, p99 late {ScaleReport.Ms(r.P99LatenessSeconds)}, {r.FailedSamples} failed, {r.Incidents} incidents, registered {r.RegisteredSeconds:0.0} s, listening {r.StartSeconds:0.0} s, first round {r.FirstRoundSeconds:0.0} s{(r.Error is null ? "" : ", " + r.Error)}"));
        return r;
    }

    private static BlackboxResult Progress(BlackboxResult r)
    {
        Console.Error.WriteLine(F($"scale: blackbox {r.Targets} targets: {r.ProbesPerSecond:0} probes/s, {r.AnsweredFraction:P1} answered, {r.SuccessFraction:P1} passed, {r.CpuMsPerProbe:0.000} CPU ms/probe{(r.Error is null ? "" : ", " + r.Error)}"));
        return r;
    }

    /// <summary>The 1-, 5- and 15-minute load averages, as <c>/proc/loadavg</c> gives them.</summary>
    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
