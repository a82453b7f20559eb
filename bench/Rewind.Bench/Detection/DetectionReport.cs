using System.Globalization;
using System.Text.Json;
using Rewind.Core.Detectors;

namespace Rewind.Bench.Detection;

/// <summary>Prints the detection benchmark's tables and headline line and writes bench/results/detection.json.</summary>
internal static class DetectionReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Write(DetectionResults results, string repository)
    {
        var design = AnytimeTestDesign.Default;
        Console.WriteLine(F($"detection benchmark{(results.Quick ? " (quick)" : "")}: α = {StepCell.Alpha}, β = {StepCell.Beta}, configured factor {StepCell.ConfiguredFactor}"));
        Console.WriteLine(F($"rewind anytime: mixture of factors {string.Join(", ", design.Factors)} weighted {string.Join(", ", design.Weights)}; {design.FromDeployShare:P0} of α from the deploy, late-change restarts every {design.RestartEveryExpectedBadEvents}/p0 events spending k^-{design.SpendingExponent}"));
        Console.WriteLine("peers: threshold = 2 × p0 over each minute (1 failed check; Flagger's default: 5 failed); SRE burn-rate page with the error budget = p0 (SLO 1 − p0): 14.4× over 1 h and 5 min or 6× over 6 h and 30 min");
        Console.WriteLine(F($"       α-matched threshold: k bad events in one minute, the least k a release at its baseline reaches with probability ≤ α over {Peers.MatchedHours} h: ") +
            string.Join(", ", results.Healthy.Select(h => F($"{h.Cell}: {Peers.MatchedCount(h.Baseline, h.Rps)} of {60 * h.Rps}"))));
        Console.WriteLine();
        Console.WriteLine("steps from the deploy: mean delay; ratio = mean requests / oracle (Wald's expected sample size of an SPRT built for exactly that step); exact = that SPRT's own measured ratio");
        Console.WriteLine(F($"  {"cell",-22} {"oracle",8} {"rewind req (s)",18} {"ratio",6} {"exact",6} {"old SPRT ×10",22} {"thr 1m",8} {"Flagger",8} {"burn rate",16} {"α-thr 1m",9}"));
        foreach (var cell in results.Steps)
        {
            var old = cell.Named("old SPRT");
            var burn = cell.Named("SRE");
            Console.WriteLine(F($"  {cell.Cell,-22} {cell.OracleRequests,8:0.0} {Requests(cell.Rewind, cell.Rps),18} {Ratio(cell.Rewind, cell),6:0.00} {Ratio(cell.Named("exact"), cell),6:0.00} {$"{old.DetectedShare:0%} {Requests(old, cell.Rps)}",22} {Seconds(cell.Named("threshold")),8} {Seconds(cell.Named("Flagger")),8} {$"{Seconds(burn)} ({burn.DetectedShare:0%})",16} {Seconds(cell.Named("α-matched")),9}"));
        }

        Console.WriteLine();
        Console.WriteLine("A/A streams at the baseline (per-second counts): false alarms");
        Console.WriteLine(F($"  {"cell",-16} {"streams",8} {"hours",6} {string.Join(" ", results.Healthy[0].Detectors.Where(d => d != "exact SPRT").Select(d => $"{Short(d),14}"))}"));
        foreach (var row in results.Healthy)
        {
            Console.WriteLine(F($"  {row.Cell,-16} {row.Streams,8} {row.HorizonSeconds / 3600.0,6:0} {string.Join(" ", row.Alarms.Where((_, d) => row.Detectors[d] != "exact SPRT").Select(a => $"{a,5} {(double)a / row.Streams,8:0.00000}"))}"));
        }

        Console.WriteLine();
        Console.WriteLine("late changes after a healthy hour: delay from the change start, seconds (mean; median; p95)");
        Console.WriteLine(F($"  {"cell",-44} {"rewind",22} {"thr 1m",8} {"Flagger",8} {"burn rate",10} {"α-thr 1m",9} {"ratio vs α-thr",14} {"vs 2× thr",9}"));
        foreach (var cell in results.Late)
        {
            Console.WriteLine(F($"  {cell.Cell,-44} {$"{cell.Rewind.MeanSeconds:0.0}; {cell.Rewind.MedianSeconds:0.0}; {cell.Rewind.P95Seconds:0.0}",22} {Seconds(cell.Named("threshold")),8} {Seconds(cell.Named("Flagger")),8} {Seconds(cell.Named("SRE")),10} {Seconds(cell.Named("α-matched")),9} {LateRatio(cell),14:0.00} {LateRatioVsDoubleThreshold(cell),9:0.00}"));
        }

        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        File.WriteAllText(Path.Combine(repository, "bench", "results", "detection.json"), JsonSerializer.Serialize(new { design, results }, Indented));
        Console.WriteLine();
        Console.WriteLine(DetectionHeadline.Line(results));
        return 0;
    }

    public static double Ratio(DelaySummary rewind, CellResult cell) => rewind.MeanSeconds!.Value * cell.Rps / cell.OracleRequests!.Value;

    /// <summary>Rewind's mean delay over the α-matched one-minute threshold's: the detector with the same false-alarm rate.</summary>
    public static double LateRatio(CellResult cell) => cell.Rewind.MeanSeconds!.Value / (cell.Named("α-matched").MeanSeconds ?? double.PositiveInfinity);

    /// <summary>Rewind's mean delay over the 2 × p0 threshold's (which false-alarms on most healthy streams at 5/s).</summary>
    public static double LateRatioVsDoubleThreshold(CellResult cell) => cell.Rewind.MeanSeconds!.Value / cell.Named("threshold").MeanSeconds!.Value;

    private static string Requests(DelaySummary summary, int rps) => summary.MeanSeconds is { } s ? F($"{s * rps:0.0} ({s:0.0}s)") : "-";

    private static string Seconds(DelaySummary summary) => summary.MeanSeconds is { } s ? F($"{s:0}s") : "never";

    private static string Short(string detector) => detector.Length <= 14 ? detector : detector[..14];

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
