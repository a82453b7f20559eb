using System.Globalization;
using System.Text.Json;
using Rewind.Core.Detectors;

namespace Rewind.Bench.Detection;

/// <summary>Prints the detection benchmark's tables and headline line and writes bench/results/detection.json.</summary>
internal static class DetectionReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Write(List<Row> rows, string repository, bool quick, int rps, double alpha, double beta, double p1)
    {
        var minimum = SequentialRegressionTest.MinimumExpectedSampleSize(0.005, p1, alpha, beta);
        Console.WriteLine(F($"detection benchmark{(quick ? " (quick)" : "")}: {rps} requests/s, baseline 0.5 % bad events, horizon 6 h"));
        Console.WriteLine(F($"rewind sequential test: p0 = 0.5 %, p1 = {100 * p1} %, α = {alpha}, β = {beta}; Wald's minimum expected sample size for 0.5 % → 5 %: {minimum:0.0} requests"));
        Console.WriteLine();
        Console.WriteLine("false alarms on healthy streams");
        Console.WriteLine(F($"  {"scenario",-30} {"detector",-52} {"runs",8} {"alarms",7} {"rate",9}"));
        foreach (var row in rows.Where(r => r.Healthy))
        {
            Console.WriteLine(F($"  {row.Scenario,-30} {row.Detector,-52} {row.Runs,8} {row.Alarms,7} {(double)row.Alarms / row.Runs,9:0.00000}"));
        }

        Console.WriteLine();
        Console.WriteLine("detection delay after the deploy (requests at 50/s; seconds)");
        Console.WriteLine(F($"  {"scenario",-34} {"detector",-52} {"detected",9} {"median",16} {"p95",16} {"mean req",9} {"min req",8} {"ratio",6}"));
        foreach (var row in rows.Where(r => !r.Healthy))
        {
            var ratio = row.Detector.StartsWith("rewind", StringComparison.Ordinal) && row.MinimumRequests is { } min && row.Mean is { } mean ? F($"{mean * rps / min:0.00}") : "";
            Console.WriteLine(F($"  {row.Scenario,-34} {row.Detector,-52} {(double)row.Alarms / row.Runs,9:0.0%} {Delay(row.Median, rps),16} {Delay(row.P95, rps),16} {(row.Mean is { } m ? F($"{m * rps:0.0}") : "-"),9} {(row.MinimumRequests is { } mr ? F($"{mr:0.0}") : "-"),8} {ratio,6}"));
        }

        var sequentialStep = rows.Single(r => r.Scenario == "step 0.5 % → 5 %" && r.Detector == "rewind sequential");
        var flooredStep = rows.Single(r => r.Scenario == "step 0.5 % → 5 %" && r.Detector.StartsWith("rewind sequential, floor", StringComparison.Ordinal));
        var thresholdStep = rows.Single(r => r.Scenario == "step 0.5 % → 5 %" && r.Detector.Contains("5 failed", StringComparison.Ordinal));
        var burnStep = rows.Single(r => r.Scenario == "step 0.5 % → 5 %" && r.Detector.StartsWith("SRE", StringComparison.Ordinal));
        var healthy = rows.Where(r => r.Healthy && r.Detector == "rewind sequential").ToList();
        var flooredHealthy = rows.Where(r => r.Healthy && r.Detector.StartsWith("rewind sequential, floor", StringComparison.Ordinal)).ToList();
        var flooredFalseAlarmRate = (double)flooredHealthy.Sum(r => r.Alarms) / flooredHealthy.Sum(r => r.Runs);
        var falseAlarmRate = (double)healthy.Sum(r => r.Alarms) / healthy.Sum(r => r.Runs);
        var delayRatio = sequentialStep.Mean!.Value * rps / minimum;
        var thresholdRatio = thresholdStep.Median!.Value / sequentialStep.Median!.Value;
        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        File.WriteAllText(Path.Combine(repository, "bench", "results", "detection.json"), JsonSerializer.Serialize(new { rps, alpha, beta, p1, minimum, rows }, Indented));
        Console.WriteLine();
        Console.WriteLine(F($"seq_delay_ratio_to_min={delayRatio:0.00} seq_false_alarm_rate={falseAlarmRate:0.00000} threshold_delay_ratio={thresholdRatio:0.0} seq_mean_delay_requests={sequentialStep.Mean.Value * rps:0.0} min_expected_sample_size={minimum:0.0} floored_delay_ratio_to_min={flooredStep.Mean!.Value * rps / minimum:0.00} floored_false_alarm_rate_6h={flooredFalseAlarmRate:0.0000} seq_median_s={sequentialStep.Median.Value:0.00} threshold_median_s={thresholdStep.Median.Value:0} burn_rate_median_s={(burnStep.Median is { } b ? F($"{b:0}") : "none")}"));
        return 0;
    }

    private static string Delay(double? seconds, int rps) => seconds is { } s ? F($"{s * rps:0} ({s:0.0}s)") : "-";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
