using System.Globalization;
using System.Text.Json;
using Rewind.Core.Detectors;

namespace Rewind.Bench.Detection;

/// <summary>
/// Detector quality on a seeded simulator of request streams: Rewind's sequential test against the fixed threshold
/// held for N checks (Flagger / Argo Rollouts / seed documents) and the SRE multi-window multi-burn-rate page, fed the
/// same streams in the same run. Reports detection delay (requests and seconds at 50 requests/s), detection rate within
/// 6 hours, false alarms on healthy streams, and Wald's minimum expected sample size for each step.
/// </summary>
internal sealed class DetectionBenchmark(bool quick, string repository)
{
    private const int Rps = 50;
    private const int HorizonSeconds = 6 * 3600;
    private const double P1 = 0.05;
    private const double Alpha = 0.001;
    private const double Beta = 0.01;
    private const double GiveUpRatio = -25;
    private const double Floor = -10; // from here the chance of a later alarm is below e^-31.9: the run is over for the test

    private readonly int _badRuns = quick ? 100 : 400;
    private readonly int _healthyRuns = quick ? 300 : 1_000;
    private readonly int _sequentialHealthyRuns = quick ? 20_000 : 100_000;

    public int Run()
    {
        var rows = new List<Row>();
        var scenarioIndex = 0;
        foreach (var scenario in Scenario.All)
        {
            var runs = scenario.Healthy ? _healthyRuns : _badRuns;
            var outcomes = Enumerable.Range(0, runs).AsParallel().WithDegreeOfParallelism(Environment.ProcessorCount)
                .Select(run => Simulate(scenario, new Random((scenarioIndex * 1_000_003) + run), sequentialOnly: false))
                .ToList();
            if (scenario.Healthy)
            {
                // The sequential test's false alarms are rare by design (α = 0.001): it gets many more healthy runs.
                outcomes.AddRange(Enumerable.Range(runs, _sequentialHealthyRuns - runs).AsParallel()
                    .Select(run => Simulate(scenario, new Random((scenarioIndex * 1_000_003) + run), sequentialOnly: true)));
            }

            rows.AddRange(Summarise(scenario, outcomes));
            Console.Error.WriteLine($"{scenario.Name}: {outcomes.Count} runs");
            scenarioIndex++;
        }

        return Report(rows);
    }

    private static Outcome Simulate(Scenario scenario, Random random, bool sequentialOnly)
    {
        var sequential = new SequentialDetector(Scenario.Baseline, P1, Alpha, Beta);
        IDetector[] others = sequentialOnly ? [] :
        [
            new FlooredSequentialDetector(Scenario.Baseline, P1, Alpha, Beta, Floor),
            new ThresholdDetector("threshold 1 %, 1m checks, 5 failed (Flagger default)", 60, 0.01, 5),
            new ThresholdDetector("threshold 1 %, 1m checks, 1 failed", 60, 0.01, 1),
            new BurnRateDetector(Rps, Scenario.Baseline),
        ];
        var alarms = new double?[others.Length];
        var sequentialLive = true;
        for (var second = 0; second < HorizonSeconds; second++)
        {
            var bad = 0;
            if (sequentialLive)
            {
                for (var i = 0; i < Rps; i++)
                {
                    var isBad = random.NextDouble() < scenario.BadRate(second + ((double)i / Rps));
                    bad += isBad ? 1 : 0;
                    sequential.ObserveRequest(isBad);
                }

                // Healthy runs stop the unfloored test once it is hopelessly low (it can only false-alarm from there
                // with probability below e^-31.9); faulty runs keep it going to the horizon.
                sequentialLive = sequential.AlarmAtRequest < 0 && (!scenario.Healthy || sequential.LogLikelihoodRatio > GiveUpRatio);
            }
            else if (others.Length > 0)
            {
                bad = Binomial.Sample(random, Rps, scenario.BadRate(second + 0.5));
            }

            for (var d = 0; d < others.Length; d++)
            {
                if (alarms[d] is null && others[d].Observe(second, Rps, bad))
                {
                    alarms[d] = second + 1;
                }
            }

            if (!sequentialLive && alarms.All(a => a is not null))
            {
                break;
            }

            if (!sequentialLive && others.Length == 0)
            {
                break;
            }
        }

        var names = others.Select(o => o.Name).Prepend(sequential.Name).ToArray();
        var delays = alarms.Prepend(sequential.AlarmAtRequest >= 0 ? (double)sequential.AlarmAtRequest / Rps : null).ToArray();
        return new Outcome(names, delays, sequentialOnly);
    }

    private static IEnumerable<Row> Summarise(Scenario scenario, List<Outcome> outcomes)
    {
        var names = outcomes.First(o => !o.SequentialOnly).Names;
        for (var d = 0; d < names.Length; d++)
        {
            var relevant = outcomes.Where(o => d == 0 || !o.SequentialOnly).ToList();
            var delays = relevant.Select(o => o.Delays[d]).Where(x => x is not null).Select(x => x!.Value).Order().ToList();
            yield return new Row(scenario.Name, scenario.Healthy, names[d], relevant.Count, delays.Count,
                delays.Count == 0 ? null : delays.Average(),
                delays.Count == 0 ? null : delays[delays.Count / 2],
                delays.Count == 0 ? null : delays[(int)Math.Min(delays.Count - 1, Math.Ceiling(0.95 * delays.Count) - 1)],
                scenario.Healthy ? null : MinimumFor(scenario));
        }
    }

    /// <summary>Wald's minimum for a constant step to rate p (null for streams whose rate changes over time).</summary>
    private static double? MinimumFor(Scenario scenario)
    {
        var p = scenario.BadRate(0);
        return Math.Abs(scenario.BadRate(3599) - p) > 1e-12
            ? null
            : SequentialRegressionTest.MinimumExpectedSampleSize(Scenario.Baseline, Math.Min(p, 1 - 1e-9), Alpha, Beta);
    }

    private int Report(List<Row> rows) => DetectionReport.Write(rows, repository, quick, Rps, Alpha, Beta, P1);

    private sealed record Outcome(string[] Names, double?[] Delays, bool SequentialOnly);
}

/// <summary>One detector on one scenario. Delays in seconds since the deploy; requests = seconds × 50.</summary>
internal sealed record Row(string Scenario, bool Healthy, string Detector, int Runs, int Alarms, double? Mean, double? Median, double? P95, double? MinimumRequests);
