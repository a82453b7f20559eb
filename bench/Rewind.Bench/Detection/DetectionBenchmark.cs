using System.Diagnostics;

namespace Rewind.Bench.Detection;

/// <summary>
/// Detector quality on seeded request streams: Rewind's anytime test against the old single-alternative SPRT, the
/// one-minute threshold, Flagger's defaults and the SRE burn-rate page, fed the same streams. Steps from the deploy
/// (delay against Wald's oracle), A/A streams (false alarms over hours) and late changes after a healthy hour.
/// </summary>
internal sealed class DetectionBenchmark(bool quick, string repository)
{
    public static readonly string[] StepDetectors = ["rewind anytime", "old SPRT ×10", "exact SPRT", .. Peers.Names];

    private static readonly double[] Baselines = [0.005, 0.01];
    private static readonly int[] Rates = [5, 50];
    private readonly int _stepRuns = quick ? 300 : 1_500;
    private readonly int _healthyStreams = quick ? 1_000 : 10_000;
    private readonly int _healthySeconds = quick ? 3600 : 3 * 3600;
    private readonly int _lateRuns = quick ? 200 : 1_000;

    public int Run()
    {
        var clock = Stopwatch.StartNew();
        var steps = StepCell.All.Select((cell, c) =>
        {
            var runs = Parallel(_stepRuns, 1_000 + c, random => StepSimulation.Run(cell, random, 6 * 3600));
            Console.Error.WriteLine($"{cell.Name}: {runs.Count} runs");
            return new CellResult(cell.Name, cell.Baseline, cell.Rps, cell.Factor, cell.Oracle,
                [.. StepDetectors.Select((name, d) => DelaySummary.Of(name, runs.Select(r => r[d])))]);
        }).ToList();

        var healthy = (from baseline in Baselines from rps in Rates select (baseline, rps)).Select((cell, c) =>
        {
            var runs = Parallel(_healthyStreams, 2_000 + c, random => HealthyStreams.Run(cell.baseline, cell.rps, random, _healthySeconds));
            var name = FormattableString.Invariant($"{100 * cell.baseline:0.0} % at {cell.rps}/s");
            Console.Error.WriteLine($"A/A {name}: {runs.Count} streams");
            return new HealthyResult(name, cell.baseline, cell.rps, runs.Count, _healthySeconds, StepDetectors, [.. StepDetectors.Select((_, d) => runs.Count(r => r[d]))]);
        }).ToList();

        string[] lateDetectors = ["rewind anytime", .. Peers.Names];
        var late = LateChange.All.Select((cell, c) =>
        {
            var runs = Parallel(_lateRuns, 3_000 + c, cell.Run);
            Console.Error.WriteLine($"{cell.Name}: {runs.Count} runs");
            return new CellResult(cell.Name, cell.Baseline, cell.Rps, cell.Factor, null,
                [.. lateDetectors.Select((name, d) => DelaySummary.Of(name, runs.Select(r => r[d])))]);
        }).ToList();

        return DetectionReport.Write(new DetectionResults(steps, healthy, late, quick, clock.Elapsed.TotalSeconds), repository);
    }

    /// <summary>Runs a simulation on seeded generators (seed = cell × 1,000,003 + run), two at a time on the two cores.</summary>
    private static List<T> Parallel<T>(int runs, int cell, Func<Random, T> run) =>
        [.. Enumerable.Range(0, runs).AsParallel().AsOrdered().WithDegreeOfParallelism(Environment.ProcessorCount)
            .Select(r => run(new Random((cell * 1_000_003) + r)))];
}

/// <summary>Everything one run of the benchmark measured.</summary>
internal sealed record DetectionResults(IReadOnlyList<CellResult> Steps, IReadOnlyList<HealthyResult> Healthy, IReadOnlyList<CellResult> Late, bool Quick, double WallSeconds);
